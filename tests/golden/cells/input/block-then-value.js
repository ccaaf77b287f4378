{ const t = 1 }
42
