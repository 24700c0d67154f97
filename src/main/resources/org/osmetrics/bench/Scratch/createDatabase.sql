-- <name>: made from the clock, not input text
CREATE DATABASE <name>
