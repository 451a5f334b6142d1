import { BoundedPasswordHasher } from '../../../adapters/system/bounded-password-hasher.js';
import { JwtTokenIssuer } from '../../../adapters/system/jwt-token-issuer.js';
import { ScryptPasswordHasher } from '../../../adapters/system/scrypt-password-hasher.js';
import { Authenticate } from '../../domain/users/authenticate.js';
import { GetProfile } from '../../domain/users/get-profile.js';
import { ListUsers } from '../../domain/users/list-users.js';
import { LogIn } from '../../domain/users/log-in.js';
import { LogOutEverywhere } from '../../domain/users/log-out-everywhere.js';
import { LogOut } from '../../domain/users/log-out.js';
import type { PasswordHasher } from '../../domain/users/password-hasher.js';
import { SignUp } from '../../domain/users/sign-up.js';
import type { TokenIssuer } from '../../domain/users/token-issuer.js';
import { UserSummaries } from '../../domain/users/user-summaries.js';
import { userRoutes } from '../http/routes/users.js';
import { TOKENS as T } from '../tokens.js';
import { defineModule, portOf, single, type UseCaseFactories, type UseCasesOf } from './module.js';

const PASSWORD_HASHER = Symbol('PasswordHasher');
const TOKEN_ISSUER = Symbol('TokenIssuer');

const useCases = {
  signUp: (r) => new SignUp(portOf(r, 'users'), r.resolve(PASSWORD_HASHER), r.resolve(T.ids), r.resolve(T.clock)),
  logIn: (r) => new LogIn(portOf(r, 'users'), r.resolve(PASSWORD_HASHER), r.resolve(TOKEN_ISSUER), r.resolve(T.ids), r.resolve(T.clock)),
  logOut: (r) => new LogOut(portOf(r, 'users')),
  logOutEverywhere: (r) => new LogOutEverywhere(portOf(r, 'users')),
  listUsers: (r) => new ListUsers(portOf(r, 'users')),
  getProfile: (r) => new GetProfile(portOf(r, 'users'), portOf(r, 'follows'), portOf(r, 'posts')),
} satisfies UseCaseFactories;

export type UserUseCases = UseCasesOf<typeof useCases>;

/** Accounts, sessions and profiles; its services `Authenticate` (the auth hook of every route) and `UserSummaries` (authors' names) serve the others. */
export const users = defineModule({
  name: 'users',
  register(c, { config }) {
    const hasher = new ScryptPasswordHasher(config.passwordHashCost);
    c.register<PasswordHasher>(PASSWORD_HASHER, { useValue: new BoundedPasswordHasher(hasher, config.limits.hashConcurrency, config.limits.hashQueue) });
    c.register<TokenIssuer>(TOKEN_ISSUER, single((r) => {
      const { authSecret: secret, authSecretPrevious: previousSecret, authIssuer: issuer, authAudience: audience, tokenTtlSeconds: ttlSeconds } = config;
      return new JwtTokenIssuer({ secret, previousSecret, issuer, audience, ttlSeconds }, r.resolve(T.clock));
    }));
    c.register(UserSummaries, single((r) => new UserSummaries(portOf(r, 'users'))));
    c.register(Authenticate, single((r) => new Authenticate(portOf(r, 'users'), r.resolve(TOKEN_ISSUER), r.resolve(T.clock))));
  },
  useCases,
  routes: userRoutes,
});
