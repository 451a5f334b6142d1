import { v7 } from 'uuid';
import type { IdGenerator } from '../../internal/domain/shared/id-generator.js';

export class UuidV7IdGenerator implements IdGenerator {
  next(at: Date): string {
    return v7({ msecs: at.getTime() });
  }
}
