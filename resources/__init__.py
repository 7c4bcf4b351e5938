"""The bundled data (frameworks, schemas, demo content, guide, fonts, icons).

An importable package so that it travels inside a wheel as opassess.resources; read it through
opassess.paths.resources_dir().
"""
