import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'

const root = import.meta.dirname

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        // The engine is a second entry so that utilityProcess.fork can start out/main/engine.js.
        input: {
          index: resolve(root, 'src/main/index.ts'),
          engine: resolve(root, 'src/main/engine/host/utilityProcessMain.ts')
        }
      }
    }
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve(root, 'src/preload/index.ts') },
        // A sandboxed preload cannot be an ES module; `.cjs` because package.json says "type": "module".
        output: { format: 'cjs', entryFileNames: '[name].cjs' }
      }
    }
  },
  renderer: {
    root: resolve(root, 'src/renderer'),
    build: {
      // electron-vite leaves output unminified; the browser host serves this bundle over HTTP too.
      minify: true,
      rollupOptions: { input: { index: resolve(root, 'src/renderer/index.html') } }
    },
    plugins: [react()]
  }
})
