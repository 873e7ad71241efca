#!/usr/bin/env python3
# scikit-learn reference for `npm run bench:train`: how long scikit-learn's LogisticRegression (and, for
# comparison, LinearSVC) takes on TF-IDF features comparable to ours, on the same split and the same machine,
# and how good it is. ONE JSON line on stdout. Not part of the tests: CI needs no Python packages.
#
# Run (from the repository root; the venv lives outside the checkout):
#   python3 -m venv ../skvenv && ../skvenv/bin/pip install scikit-learn numpy scipy
#   nice -n 10 ../skvenv/bin/python bench/reference/sklearn_train.py
#
# Environment: TRIAGE_BENCH_SPLIT (folder with train.csv/test.csv, as for bench/train.ts),
# TRIAGE_BENCH_TARGET (label column, default Topic_group), TRIAGE_BENCH_TEXT (text columns, comma-separated,
# blank ones skipped, joined with a newline as bench/train.ts does; default Document), TRIAGE_SKLEARN_THREADS (OpenMP/BLAS threads, default 1).
#
# One thread by default: on this shared 2-core machine, scikit-learn's OpenMP loss with 2 threads under `nice`
# fitted 2,000 rows in 34 s against 6-7 s with one (back-to-back runs, load average ~5.5): threads waiting at
# each barrier for a core another process holds. `threads` in the output says what the run used.
#
# Features, after src/main/engine/inference/tfidf.ts: a word block (1–2-grams) and a character block (char_wb
# 3–5-grams), sublinear tf, smoothed idf, min_df=2, each block L2-normalised and scaled by 1/sqrt(2), hstacked
# (unit norm per row). Differences, so the numbers are "comparable", not identical: ours hashes each block into
# 2^18 buckets (min_df counts buckets) where scikit-learn keeps an exact vocabulary; scikit-learn's char_wb pads
# whitespace-separated tokens (punctuation included) where ours pads the word tokens ([\p{L}\p{N}_]{2,}).
# Only the TF-IDF block: the comparison is on TF-IDF, so the sentence-embedding block that our head
# also uses is left out here (our head with it is the number to beat, not the like-for-like one).
#
# LogisticRegression's C from our default l2: our objective (softmaxRegression.ts) is the (class-weighted)
# MEAN cross-entropy over the n training rows plus 0.5 * l2 * ||W||^2 (bias unpenalised). scikit-learn's is
# C * SUM of the cross-entropies + 0.5 * ||W||^2 (intercept unpenalised). Dividing scikit-learn's by C * n
# gives mean loss + 0.5 / (C * n) * ||W||^2, the same minimiser when l2 = 1 / (C * n), i.e. C = 1 / (l2 * n).
# With l2 = 1e-5 and n = 38,270 that is C ≈ 2.61. Ours weights classes by 1/sqrt(frequency) and this fit is
# unweighted (scikit-learn's default), so the objectives match in form, not exactly.
#
# Timed separately: features (fit the vectorisers on train and transform it), test features, each fit, each
# predict. Reading the CSVs is not timed. ECE: 15 equal-width bins on the top-label probability, a confidence
# of exactly 1 in the last bin, count-weighted |accuracy - mean confidence| (as evaluate/metrics.ts).
#
# Measured 2026-12-01 on the shared 2-core machine (scikit-learn 1.9.1, one thread, nice 10, load average ~6:
# the process got 52 % of a core, 227 s CPU over 7 min 23 s wall, 0.9 GB peak RSS):
# 178,710 features, 439.5 non-zeros a row; features 67 s (+14 s test); LR fit 321 s, 170 iterations,
# accuracy 0.8606, macro-F1 0.8606, ECE 0.0371; LinearSVC fit 33 s, accuracy 0.8622, macro-F1 0.8633.
import csv
import json
import math
import os
import sys
import time
import warnings

import numpy as np
import scipy.sparse as sp
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.svm import LinearSVC
from threadpoolctl import threadpool_info, threadpool_limits

HERE = os.path.dirname(os.path.abspath(__file__))
SPLIT = os.environ.get('TRIAGE_BENCH_SPLIT') or os.path.join(HERE, '../../../shared/datasets/it-service-tickets/split')
TARGET = os.environ.get('TRIAGE_BENCH_TARGET', 'Topic_group')
TEXT = os.environ.get('TRIAGE_BENCH_TEXT', 'Document').split(',')
# Our default training parameter (trainHead.ts DEFAULT_TRAINING_PARAMS.l2).
L2 = 1e-5
# As tfidf.ts MAX_CHARS: longer texts are cut before featurising.
MAX_CHARS = 20_000


def read_split(name):
    csv.field_size_limit(sys.maxsize)
    with open(os.path.join(SPLIT, name), newline='', encoding='utf-8') as f:
        rows = list(csv.DictReader(f))
    texts = ['\n'.join(t for t in (r.get(c) or '' for c in TEXT) if t.strip())[:MAX_CHARS] for r in rows]
    labels = [r[TARGET] for r in rows]
    return texts, labels


def ece(correct, confidence, bins=15):
    n = len(correct)
    if n == 0:
        return 0.0
    index = np.clip(np.floor(confidence * bins).astype(int), 0, bins - 1)
    total = 0.0
    for b in range(bins):
        mask = index == b
        count = int(mask.sum())
        if count:
            total += count / n * abs(correct[mask].mean() - confidence[mask].mean())
    return float(total)


def main():
    with threadpool_limits(limits=int(os.environ.get('TRIAGE_SKLEARN_THREADS', '1'))):
        run()


def run():
    train_texts, train_labels = read_split('train.csv')
    test_texts, test_labels = read_split('test.csv')
    n = len(train_texts)

    word = TfidfVectorizer(analyzer='word', ngram_range=(1, 2), sublinear_tf=True, min_df=2, lowercase=True, norm='l2')
    char = TfidfVectorizer(analyzer='char_wb', ngram_range=(3, 5), sublinear_tf=True, min_df=2, lowercase=True, norm='l2')
    half = 1 / math.sqrt(2)

    t = time.perf_counter()
    x_train = sp.hstack([word.fit_transform(train_texts) * half, char.fit_transform(train_texts) * half], format='csr')
    features_seconds = time.perf_counter() - t

    t = time.perf_counter()
    x_test = sp.hstack([word.transform(test_texts) * half, char.transform(test_texts) * half], format='csr')
    test_features_seconds = time.perf_counter() - t

    y_train = np.asarray(train_labels)
    y_test = np.asarray(test_labels)

    C = 1 / (L2 * n)
    lr = LogisticRegression(solver='lbfgs', C=C, max_iter=1000)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always', ConvergenceWarning)
        t = time.perf_counter()
        lr.fit(x_train, y_train)
        lr_fit_seconds = time.perf_counter() - t
    lr_converged = not any(issubclass(w.category, ConvergenceWarning) for w in caught)

    t = time.perf_counter()
    probabilities = lr.predict_proba(x_test)
    lr_predict_seconds = time.perf_counter() - t
    top = probabilities.argmax(axis=1)
    predicted = lr.classes_[top]
    confidence = probabilities[np.arange(len(top)), top]
    correct = predicted == y_test

    svc = LinearSVC(C=1.0)
    t = time.perf_counter()
    svc.fit(x_train, y_train)
    svc_fit_seconds = time.perf_counter() - t
    svc_predicted = svc.predict(x_test)

    print(json.dumps({
        'bench': 'sklearn-reference',
        'dataset': os.path.basename(os.path.dirname(os.path.abspath(SPLIT))),
        'cores': os.cpu_count(),
        'rows': n,
        'test_rows': len(test_texts),
        'classes': len(lr.classes_),
        'sparse_features': x_train.shape[1],
        'nnz_per_row': round(x_train.nnz / n, 1),
        'features_seconds': round(features_seconds, 2),
        'test_features_seconds': round(test_features_seconds, 2),
        'lr_C': round(C, 4),
        'lr_fit_seconds': round(lr_fit_seconds, 2),
        'lr_iterations': int(lr.n_iter_.max()),
        'lr_converged': lr_converged,
        'lr_predict_seconds': round(lr_predict_seconds, 3),
        'lr_accuracy': round(float(correct.mean()), 4),
        'lr_macro_f1': round(float(f1_score(y_test, predicted, average='macro')), 4),
        'lr_ece': round(ece(correct, confidence), 4),
        'svc_fit_seconds': round(svc_fit_seconds, 2),
        'svc_accuracy': round(float(accuracy_score(y_test, svc_predicted)), 4),
        'svc_macro_f1': round(float(f1_score(y_test, svc_predicted, average='macro')), 4),
        # The threads scikit-learn's OpenMP loss and the BLAS may use (LinearSVC's liblinear runs on one).
        'threads': {i['user_api']: i['num_threads'] for i in threadpool_info()},
        'sklearn': __import__('sklearn').__version__,
    }))


if __name__ == '__main__':
    main()
