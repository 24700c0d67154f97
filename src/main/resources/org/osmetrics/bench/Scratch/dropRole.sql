-- <role>: made from the clock, not input text
DROP ROLE <role>
