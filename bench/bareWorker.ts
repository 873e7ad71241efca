// A bench-only worker for `npm run bench:infer`: one single-threaded onnxruntime session, created the way
// the embedder pool's workers create theirs, timing nothing but `session.run` on padded batches it is sent.
import { isMainThread, parentPort, workerData } from 'node:worker_threads'
import * as ort from 'onnxruntime-node'
import { createEmbedderSession } from '../src/main/engine/inference/embedder.ts'
import { manifestByName } from '../src/main/engine/inference/modelManifest.ts'
import type { PaddedBatch } from '../src/main/engine/inference/textTokenizer.ts'

export interface BareSetup {
  readonly bareWorker: { readonly name: string; readonly modelPath: string; readonly output: string }
}
export type ToBare = { type: 'run'; batches: PaddedBatch[] } | { type: 'close' }
export type FromBare = { type: 'ready' } | { type: 'ran'; seconds: number }

if (!isMainThread && parentPort && (workerData as Partial<BareSetup> | undefined)?.bareWorker) {
  const port = parentPort
  const { name, modelPath, output } = (workerData as BareSetup).bareWorker
  // The pool's sessions: one thread, and int8 weights where the manifest asks for them on CPU.
  const { session } = await createEmbedderSession(manifestByName(name), modelPath, 'cpu', 1)
  const feedsTypes = session.inputNames.includes('token_type_ids')
  port.postMessage({ type: 'ready' } satisfies FromBare)
  port.on('message', async (msg: ToBare) => {
    if (msg.type === 'close') {
      await session.release()
      process.exit(0)
    }
    let seconds = 0
    for (const b of msg.batches) {
      const dims = [b.rows, b.length]
      const feeds: Record<string, ort.Tensor> = {
        input_ids: new ort.Tensor('int64', b.inputIds, dims),
        attention_mask: new ort.Tensor('int64', b.attentionMask, dims)
      }
      if (feedsTypes) feeds.token_type_ids = new ort.Tensor('int64', new BigInt64Array(b.rows * b.length), dims)
      const t = performance.now()
      await session.run(feeds, [output])
      seconds += (performance.now() - t) / 1000
    }
    port.postMessage({ type: 'ran', seconds } satisfies FromBare)
  })
}
