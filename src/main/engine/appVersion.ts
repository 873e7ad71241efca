import pkg from '../../../package.json' with { type: 'json' }

export function appVersion(): string {
  return pkg.version
}
