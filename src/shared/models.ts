// Trained heads, their predictions and the model status, as the UI and CLI see them.
export interface RankedLabel {
  readonly label: string
  readonly p: number
}

/** A ticket's prediction by the active head of one target. */
export interface TicketPrediction {
  readonly label: string
  /** Calibrated: of the tickets shown at 0.8, about 80 % are right. */
  readonly confidence: number
  /** Best first, at most 3. */
  readonly top: readonly RankedLabel[]
  readonly needsReview: boolean
  readonly reviewReason: 'low_confidence' | 'sample' | null
}

export interface HeadMetrics {
  readonly accuracy: number
  readonly macroF1: number
  readonly ece: number
  readonly validationRows: number
  readonly validationMethod: 'stratified' | 'time' | 'none'
  readonly coverageAt90: number
}

export interface ModelSummary {
  readonly id: number
  readonly target: string
  readonly version: number
  readonly active: boolean
  readonly createdAt: string
  readonly embedder: string | null
  readonly classes: readonly string[]
  readonly trainingRows: number
  readonly metrics: HeadMetrics
  readonly thresholds: ReviewThresholdSet
  readonly sha256: string
  /**
   * This version against the one active when it was trained, on the same held-out tickets labelled after
   * that one was made (neither trained on them); absent when there were too few such tickets.
   */
  readonly comparedWith?: SameDataComparison
  /** How the regularisation, the embedding's weight and the blend were chosen on validation (absent on older versions). */
  readonly selection?: ModelSelectionView
  /** Set when this version was made by "Update model" from the version active then. */
  readonly update?: { readonly fromVersion?: number; readonly fromCreatedAt: string; readonly skippedRows: number }
}

/** One point of the grid tried on the validation split. */
export interface SelectionPointView {
  readonly l2: number
  readonly embeddingScale: number
  /** Validation log-loss of the head alone at its fitted temperature: lower is better, the choice minimises it. */
  readonly nll: number
  readonly accuracy: number
  readonly iterations: number
  readonly seconds: number
}

export interface ModelSelectionView {
  readonly criterion: string
  readonly curve: readonly SelectionPointView[]
  readonly l2: number
  readonly embeddingScale: number
  readonly blendWeight: number
  readonly sharpness: number
}

/**
 * A head's review thresholds as stored and in force: a prediction below its queue's threshold (or the global
 * one, for a queue without its own) goes to review. Derived thresholds are held at a floor; a lead may set
 * one lower on purpose.
 */
export interface ReviewThresholdSet {
  readonly global: number
  readonly perClass: Readonly<Record<string, number>>
  /** The floor under derived thresholds (absent on heads stored before floors; read as 0.5). */
  readonly floor?: number
  /** Queues whose derived threshold was below the floor and was raised to it: the derived value. */
  readonly floored?: Readonly<Record<string, number>>
  /** The derived global threshold, when it was below the floor and was raised to it. */
  readonly globalFloored?: number
  /** Queues a lead set below the floor on purpose (model.thresholdsApply): their value stands. */
  readonly deliberate?: readonly string[]
  /** The lead set the global threshold below the floor on purpose. */
  readonly globalDeliberate?: boolean
}

export interface SameDataComparison {
  readonly modelId: number
  readonly version: number
  readonly tickets: number
  readonly mine: HeadMetrics
  readonly theirs: HeadMetrics
}

export interface TrainSummary {
  readonly model: ModelSummary
  /** The head that was active before, evaluated on the same held-out tickets, if there was one. */
  readonly previous: ModelSummary | null
  readonly previousOnSameData: HeadMetrics | null
  readonly activated: boolean
  /** Why it was or was not activated, in words a lead can act on. */
  readonly activation: string
  readonly predicted: number
  readonly needsReview: number
}

export interface ThresholdPreview {
  readonly precision: number
  readonly global: number
  readonly perClass: Readonly<Record<string, number>>
  /** Share of validation tickets that would be routed without review at these thresholds. */
  readonly coverage: number
  /** Precision measured on validation above the thresholds. */
  readonly measuredPrecision: number
  /** The floor the derived thresholds are held at (global and perClass above already include it). */
  readonly floor?: number
  /** Queues the floor raised: their derived threshold, before the floor. */
  readonly floored?: Readonly<Record<string, number>>
  /** The derived global threshold, when the floor raised it. */
  readonly globalFloored?: number
}

/** A model folder copied into the data folder by `model.install`. */
export interface InstalledModel {
  readonly name: string
  readonly dimension: number
  readonly folder: string
  readonly bytes: number
  /** A model the app ships a manifest for (checked against it), or one described from its own files. */
  readonly known: boolean
  /** Whether the running engine switched to it now (it was on the built-in fallback), or it waits to be chosen as the Embedder. */
  readonly inUse: boolean
  readonly message: string
}

export interface ModelStatus {
  readonly embedders: readonly {
    readonly name: string
    /** What a person calls it ("all-MiniLM-L6-v2"): a known model's display name, else its installed name. */
    readonly displayName: string
    readonly dimension: number
    readonly installed: boolean
    /** Installed in the data folder, so it can be removed there (a TRIAGE_MODELS_DIR folder is never written to). */
    readonly removable: boolean
    /** A model this app ships a manifest for, or one installed from a folder and described from its files. */
    readonly known: boolean
    readonly licence: string
    /** How its vectors are made: the model's own sentence output, or the mean of its token states. */
    readonly pooling: 'pooled' | 'mean'
    readonly maxTokens: number
    readonly textPrefix?: string
    readonly problem?: string
  }[]
  readonly activeEmbedder: string | null
  readonly provider: string | null
  readonly providerNotes: readonly string[]
  readonly heads: readonly ModelSummary[]
}

/** A models row whose file is missing, or whose bytes differ from the sha256 the row records (`store.doctor`). */
export interface ModelFileProblem {
  readonly modelId: number
  readonly target: string
  readonly version: number
  readonly active: boolean
  /** The head's weights, or its ONNX graph (without which the same weights predict in JavaScript). */
  readonly role: 'head' | 'graph'
  readonly path: string
  readonly problem: 'missing' | 'checksum'
  readonly message: string
}

/** An active head's tickets without a current prediction from it (`store.doctor`); absent when there are none. */
export interface PredictionGap {
  readonly target: string
  readonly modelId: number
  readonly version: number
  /** Tickets the head never predicted (an import that stopped after its rows committed, say). */
  readonly missing: number
  /** Tickets an import changed after the head predicted them. */
  readonly outdated: number
}

/** What filling the gaps predicted: after an import, at engine start, or on `store.repair`. */
export interface PredictionFill {
  readonly predicted: number
  readonly needsReview: number
  readonly targets: readonly { readonly target: string; readonly modelId: number; readonly version: number; readonly predicted: number; readonly needsReview: number }[]
}
