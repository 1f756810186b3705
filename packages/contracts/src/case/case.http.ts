import { z } from 'zod';

// HTTP DTOs and commands of the case area (request bodies, responses); types are inferred.
export {};
void z;
