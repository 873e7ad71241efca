// Engine entry point as a plain Node child (`node --import tsx childProcessMain.ts --db PATH`), used
// by the browser host. The parent's IPC channel carries the same WireRequest / WireMessage objects as
// the Electron MessagePort; the parent multiplexes its clients onto this one peer.
import { EngineService, type EnginePeer } from './engineService.ts'
import { engineOptionsFromProcess } from './engineOptionsFromProcess.ts'

if (!process.send) {
  console.error('childProcessMain must be started with an IPC channel (child_process.fork)')
  process.exit(2)
}

const service = new EngineService(engineOptionsFromProcess(process.argv, process.env))
const peer: EnginePeer = {
  post: (wire) => {
    // After the parent disconnects, send() would throw; there is nobody left to answer.
    if (process.connected) process.send?.(wire)
  }
}
service.attach(peer)
process.on('message', (data) => void service.serve(peer, data))
process.send({ type: 'ready' })

let stopping = false
function shutdown(): void {
  if (stopping) return
  stopping = true
  // Let the embedding workers finish their batch and release onnxruntime before the process ends.
  void service.close().finally(() => process.exit(0))
}
// The host died or closed the channel: an orphaned engine would hold the database open, so leave.
process.on('disconnect', shutdown)
process.on('SIGTERM', shutdown)
process.on('SIGINT', shutdown)
