"""Case pages, one module per part: cases (report, list, map, detail, public page),
kpi (考核统计) and configuration (categories and routing rules)."""
