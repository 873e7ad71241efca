export function rendererIsFresh(): boolean
export function buildIfStale(): void
