-- <name> and <owner>: made from the clock, not input text
CREATE DATABASE <name> OWNER <owner>
