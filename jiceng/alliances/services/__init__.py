"""The co-governance rules, one module per subject. Views, the API, commands and
the demo all call these functions; each checks role and scope and writes its
audit row."""
