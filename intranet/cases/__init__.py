"""The child register and case management of Decree 56/2017 (DESIGN.md section 11).

The pure foundations come first and need no database: :mod:`intranet.cases.crypto` encrypts a
child's identifying fields and makes the keyed hashes that lookups use, :mod:`intranet.cases.names`
folds Vietnamese names for the duplicate search, and :mod:`intranet.cases.calendar` counts the
working days of the procedure's deadlines from the holidays in ``holidays.yaml``.
"""
