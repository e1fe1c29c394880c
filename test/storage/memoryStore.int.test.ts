import { MemoryStore } from '../../src/adapters/memory/memoryStore.js';
import { describeAccessConformance } from './accessConformance.js';
import { describeStoreConformance } from './storeConformance.js';

describeStoreConformance('MemoryStore', async () => {
  const store = new MemoryStore();
  return { store, close: async () => {} };
});

describeAccessConformance('MemoryStore', async () => ({ store: new MemoryStore(), close: async () => {} }));
