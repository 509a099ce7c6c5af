-- file with a byte order mark and CRLF
CREATE TABLE bom_table (id int);
ALTER TABLE users ADD COLUMN bom text;
