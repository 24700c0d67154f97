-- <role>: made by the benchmark, not input text; <password>: quoted, from SecureRandom (hex)
CREATE ROLE <role> LOGIN PASSWORD <password>
