export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, hash: string): Promise<boolean>;
  /** Spends the time a verify would, so unknown users answer as slowly as wrong passwords. */
  waste(password: string): Promise<void>;
}
