import { z } from 'zod';

// HTTP DTOs and commands of the clue area (request bodies, responses); types are inferred.
export {};
void z;
