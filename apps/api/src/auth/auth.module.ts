import { createSecretKey } from 'node:crypto';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { DataSource } from 'typeorm';
import { AuditModule } from '../audit/audit.module';
import { APP_CONFIG, AppConfig, randomSecret } from '../config/config';
import { getOrCreateSetting } from '../common/settings';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { LoginThrottle } from './login-throttle';

/** Sign-in and the global guard: every route needs a valid token and its roles unless marked public. */
@Module({
  imports: [
    AuditModule,
    UsersModule,
    JwtModule.registerAsync({
      inject: [DataSource, APP_CONFIG],
      useFactory: async (ds: DataSource, config: AppConfig) => ({
        // A KeyObject, not a string: jsonwebtoken otherwise tries (and fails) to parse a string as a public key on every verify.
        secret: createSecretKey(Buffer.from(config.jwtSecret ?? (await getOrCreateSetting(ds, 'jwt.secret', randomSecret)), 'utf8')),
        signOptions: { expiresIn: config.jwtTtlSeconds, issuer: 'tierwise' },
        verifyOptions: { issuer: 'tierwise' },
      }),
    }),
  ],
  controllers: [AuthController],
  // The guard is also exported: a route served straight from Fastify (evaluation/direct-route.ts) checks access with the same instance.
  providers: [AuthService, LoginThrottle, AuthGuard, { provide: APP_GUARD, useExisting: AuthGuard }],
  exports: [AuthGuard],
})
export class AuthModule {}
