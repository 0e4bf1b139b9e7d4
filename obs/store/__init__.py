"""One gateway per table family: all SQL on ``subdaily_weather`` (:mod:`obs.store.subdaily`),
``daily_weather`` (:mod:`obs.store.daily`) and ``qc_flag`` (:mod:`obs.store.qc_flag`), in one
query style: statements written once with ``?`` placeholders, run on the raw DBAPI cursor by
:mod:`obs.store.sql`, the only module that knows the dialect (paramstyle, bind processing).

Push, export and restore (:mod:`obs.exchange`) copy whole tables between databases with
SQLAlchemy Core and keep their own statements.
"""
