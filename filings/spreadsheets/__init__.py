"""The Excel forms organisers and authorities exchange: the plan upload template and import,
the plan filing form (附件1 备案表) and the knowledge-update plan table (附件3)."""
