"""抽查（双随机、一公开）: campaigns, the reproducible draw, inspector assignment, inspections.

`algorithm` is pure Python and documents the draw procedure; everything else uses the ORM.
"""
