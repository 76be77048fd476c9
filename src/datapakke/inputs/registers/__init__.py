"""The registers as analysts receive them (BEF, DOD, LPR_A / LPR3_F, LPR2, LMDB), read into
the contract's tables as lazy frames, so that the engine and every check run unchanged.

``detect`` recognises deliveries by file and folder names; one module per register
reads and checks its files; ``stays`` chains LPR3 contacts into hospital stays;
``policies`` leaves out (and counts) what real registers hold that the indicators
cannot use; ``settings`` holds every unconfirmed fact as a setting.
"""
