-- <owner>: made from the clock, not input text; <password>: quoted, from SecureRandom (hex)
CREATE ROLE <owner> LOGIN NOSUPERUSER CREATEROLE PASSWORD <password>
