"""The pandas side of bench/prepare.ts: the same prepare path on the same file, timed per step.

    python bench/prepare_pandas.py <csv> <out-dir>   -> one JSON line {"step": seconds, ..., "total": s}
"""

import json
import sys
import time

import numpy as np
import pandas as pd

csv, out = sys.argv[1], sys.argv[2]
t = {}
start = time.perf_counter()


def lap(name):
    global start
    now = time.perf_counter()
    t[name] = now - start
    start = now


df = pd.read_csv(csv)
lap("read")
df.describe(include="all")
num = df.select_dtypes("number")
num.corr(method="pearson")
num.corr(method="spearman")
for c in df.select_dtypes(exclude="number").columns:
    df[c].value_counts()
lap("profile")
df["Churn?"] = np.where(df["Churn?"] == "True.", 1, 0)
df = df.drop(columns=["State", "Area Code", "Phone"])
df = pd.get_dummies(df, dtype="uint8")
lap("encode")
shuffled = df.sample(frac=1, random_state=1024)
a, b = int(0.8 * len(df)), int(0.9 * len(df))  # np.split's cut points (np.split no longer accepts a DataFrame in pandas 3)
train, validation, test = shuffled.iloc[:a], shuffled.iloc[a:b], shuffled.iloc[b:]
lap("split")
for name, part in (("train", train), ("validation", validation), ("test", test)):
    part.to_csv(f"{out}/{name}.csv", index=False)
lap("write")
t["total"] = sum(t.values())
print(json.dumps(t))
