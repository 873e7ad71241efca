import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App.tsx'
import { connectTriage } from './api/connectTriage.ts'
import { TriageProvider } from './api/TriageContext.tsx'
import './styles.css'

const root = document.getElementById('root')
if (!root) throw new Error('index.html lacks #root')

createRoot(root).render(
  <StrictMode>
    <TriageProvider client={connectTriage()}>
      <App />
    </TriageProvider>
  </StrictMode>
)
