/** Absolute path of the Electron executable, or null when the binary is not installed. */
export function electronBinary(): string | null
