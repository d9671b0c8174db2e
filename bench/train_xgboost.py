"""Time Python xgboost (tree_method="hist") on the matrices bench/train.ts wrote.

    python bench/train_xgboost.py <dir> <nthread> '<params json>' <num_round>

<dir> holds float64 files X.bin (n x cols), y.bin, Xt.bin and cols.txt. Times DMatrix construction +
xgb.train (the same work as Booster.fit on a ready matrix), writes test probabilities to
p-<nthread>.bin and prints {"seconds": ..., "version": ...} as JSON.
"""
import json
import os
import sys
import time

import numpy as np
import xgboost as xgb

folder, nthread, params, rounds = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3]), int(sys.argv[4])
cols = int(open(os.path.join(folder, "cols.txt")).read())
X = np.fromfile(os.path.join(folder, "X.bin")).reshape(-1, cols)
y = np.fromfile(os.path.join(folder, "y.bin"))
Xt = np.fromfile(os.path.join(folder, "Xt.bin")).reshape(-1, cols)
start = time.perf_counter()
booster = xgb.train({**params, "tree_method": "hist", "nthread": nthread}, xgb.DMatrix(X, label=y, nthread=nthread), rounds)
seconds = time.perf_counter() - start
booster.predict(xgb.DMatrix(Xt)).astype(np.float64).tofile(os.path.join(folder, f"p-{nthread}.bin"))
print(json.dumps({"seconds": seconds, "version": xgb.__version__}))
