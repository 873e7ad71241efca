// A small, hand-checked report for the evaluation page's unit tests.
import type { ClassFigures, EvaluationReportView } from '../../../shared/evaluation.ts'

export function classFigures(label: string, f1: number, support: number): ClassFigures {
  return { label, precision: f1, recall: f1, f1, support, predicted: support, routedPrecision: 0.9, routedCoverage: 0.5, threshold: 0.6 }
}

export const REPORT: EvaluationReportView = {
  source: 'holdout',
  description: '4 held-out tickets of queue v2',
  target: 'queue',
  modelId: 7,
  modelVersion: 2,
  n: 4,
  classes: ['Access', 'Hardware'],
  accuracy: 0.75,
  macroF1: 0.7333333,
  weightedF1: 0.74449,
  top1: 0.75,
  top2: 1,
  top3: 1,
  ece: 0.0625,
  meanConfidence: 0.8,
  perClass: [classFigures('Hardware', 0.8, 3), classFigures('Access', 0.667, 1)],
  confusion: [
    [1, 0],
    [1, 2]
  ],
  reliability: [{ lower: 0.8, upper: 0.9, count: 4, meanConfidence: 0.85, accuracy: 0.75 }],
  curve: [
    { threshold: 0, coverage: 1, precision: 0.75 },
    { threshold: 0.5, coverage: 0.75, precision: 0.8 },
    { threshold: 0.9, coverage: 0.25, precision: 1 }
  ],
  threshold: 0.5,
  reviewRate: 0.25,
  coverageAtPrecision: { '0.80': { threshold: 0.5, coverage: 0.75, precision: 0.8 }, '0.90': { threshold: 0.9, coverage: 0.25, precision: 1 } }
}
