#!/usr/bin/env node
// The `triage` CLI runs the engine's TypeScript directly through tsx, so a checkout needs no build step.
import { register } from 'tsx/esm/api'

register()
await import('../src/main/cli.ts')
