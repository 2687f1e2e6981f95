"""培训花名册 (附件2): template, hostile-file guard, reader, checks, import service, marked-up copy."""
