/** A table as the engine needs it: an id and the party sizes it seats. */
export interface TableCapacity {
  id: string;
  minSize: number;
  maxSize: number;
}
