-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "clients" (
    "client_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "secret_hash" TEXT,
    "secret_expires_at" TIMESTAMP(3),
    "token_endpoint_auth_method" TEXT NOT NULL,
    "token_endpoint_auth_signing_alg" TEXT,
    "grant_types" TEXT NOT NULL,
    "scope" TEXT,
    "backchannel_token_delivery_mode" TEXT NOT NULL,
    "backchannel_client_notification_endpoint" TEXT,
    "backchannel_authentication_request_signing_alg" TEXT,
    "backchannel_user_code_parameter" BOOLEAN NOT NULL DEFAULT false,
    "id_token_signed_response_alg" TEXT NOT NULL DEFAULT 'RS256',
    "jwks" TEXT,
    "jwks_uri" TEXT,
    "fapi_ciba" BOOLEAN NOT NULL DEFAULT false,
    "dpop_bound_access_tokens" BOOLEAN NOT NULL DEFAULT false,
    "registration_access_token_hash" TEXT,
    "metadata" TEXT NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "clients_pkey" PRIMARY KEY ("client_id")
);

-- CreateTable
CREATE TABLE "users" (
    "sub" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "given_name" TEXT NOT NULL,
    "family_name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "email_verified" BOOLEAN NOT NULL DEFAULT true,
    "phone_number" TEXT NOT NULL,
    "phone_number_verified" BOOLEAN NOT NULL DEFAULT true,
    "customer_number" TEXT NOT NULL,
    "locale" TEXT,
    "pin_hash" TEXT NOT NULL,
    "user_code_hash" TEXT,
    "failed_pin_attempts" INTEGER NOT NULL DEFAULT 0,
    "pin_locked_until" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "users_pkey" PRIMARY KEY ("sub")
);

-- CreateTable
CREATE TABLE "auth_requests" (
    "id" TEXT NOT NULL,
    "auth_req_id" TEXT NOT NULL,
    "client_id" TEXT NOT NULL,
    "sub" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "acr_values" TEXT,
    "binding_message" TEXT,
    "hint_type" TEXT NOT NULL,
    "hint" TEXT NOT NULL,
    "authorization_details" TEXT,
    "request_context" TEXT,
    "client_notification_token" TEXT,
    "delivery_mode" TEXT NOT NULL,
    "requested_expiry" INTEGER,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "interval" INTEGER NOT NULL,
    "last_polled_at" TIMESTAMP(3),
    "status" TEXT NOT NULL DEFAULT 'pending',
    "suspected_fraud" BOOLEAN NOT NULL DEFAULT false,
    "decided_at" TIMESTAMP(3),
    "outcome_description" TEXT,
    "auth_time" TIMESTAMP(3),
    "acr" TEXT,
    "amr" TEXT,
    "consumed_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "auth_requests_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "grants" (
    "id" TEXT NOT NULL,
    "client_id" TEXT NOT NULL,
    "sub" TEXT NOT NULL,
    "auth_request_id" TEXT,
    "scope" TEXT NOT NULL,
    "authorization_details" TEXT,
    "acr" TEXT,
    "amr" TEXT,
    "auth_time" TIMESTAMP(3) NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMP(3),

    CONSTRAINT "grants_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "refresh_tokens" (
    "id" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "grant_id" TEXT NOT NULL,
    "dpop_jkt" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "consumed_at" TIMESTAMP(3),

    CONSTRAINT "refresh_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "signing_keys" (
    "kid" TEXT NOT NULL,
    "alg" TEXT NOT NULL,
    "public_jwk" TEXT NOT NULL,
    "private_jwk" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retired_at" TIMESTAMP(3),

    CONSTRAINT "signing_keys_pkey" PRIMARY KEY ("kid")
);

-- CreateTable
CREATE TABLE "device_sessions" (
    "id" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "sub" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "revoked_at" TIMESTAMP(3),

    CONSTRAINT "device_sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deliveries" (
    "id" TEXT NOT NULL,
    "auth_request_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "endpoint" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMP(3) NOT NULL,
    "lease_owner" TEXT,
    "lease_until" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMP(3),

    CONSTRAINT "deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "delivery_attempts" (
    "id" SERIAL NOT NULL,
    "delivery_id" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "started_at" TIMESTAMP(3) NOT NULL,
    "latency_ms" INTEGER NOT NULL,
    "http_status" INTEGER,
    "error" TEXT,

    CONSTRAINT "delivery_attempts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "used_jtis" (
    "key" TEXT NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "used_jtis_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "protocol_events" (
    "id" SERIAL NOT NULL,
    "type" TEXT NOT NULL,
    "auth_request_id" TEXT,
    "client_id" TEXT,
    "sub" TEXT,
    "data" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "protocol_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "clients_registration_access_token_hash_key" ON "clients"("registration_access_token_hash");

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE UNIQUE INDEX "users_phone_number_key" ON "users"("phone_number");

-- CreateIndex
CREATE UNIQUE INDEX "users_customer_number_key" ON "users"("customer_number");

-- CreateIndex
CREATE UNIQUE INDEX "auth_requests_auth_req_id_key" ON "auth_requests"("auth_req_id");

-- CreateIndex
CREATE INDEX "auth_requests_status_expires_at_idx" ON "auth_requests"("status", "expires_at");

-- CreateIndex
CREATE INDEX "auth_requests_sub_status_idx" ON "auth_requests"("sub", "status");

-- CreateIndex
CREATE INDEX "auth_requests_client_id_created_at_idx" ON "auth_requests"("client_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "grants_auth_request_id_key" ON "grants"("auth_request_id");

-- CreateIndex
CREATE UNIQUE INDEX "refresh_tokens_token_hash_key" ON "refresh_tokens"("token_hash");

-- CreateIndex
CREATE INDEX "refresh_tokens_grant_id_idx" ON "refresh_tokens"("grant_id");

-- CreateIndex
CREATE UNIQUE INDEX "device_sessions_token_hash_key" ON "device_sessions"("token_hash");

-- CreateIndex
CREATE INDEX "deliveries_status_next_attempt_at_idx" ON "deliveries"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "delivery_attempts_delivery_id_idx" ON "delivery_attempts"("delivery_id");

-- CreateIndex
CREATE INDEX "used_jtis_expires_at_idx" ON "used_jtis"("expires_at");

-- CreateIndex
CREATE INDEX "protocol_events_auth_request_id_idx" ON "protocol_events"("auth_request_id");

-- CreateIndex
CREATE INDEX "protocol_events_client_id_id_idx" ON "protocol_events"("client_id", "id");

-- AddForeignKey
ALTER TABLE "auth_requests" ADD CONSTRAINT "auth_requests_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "clients"("client_id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "auth_requests" ADD CONSTRAINT "auth_requests_sub_fkey" FOREIGN KEY ("sub") REFERENCES "users"("sub") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "grants" ADD CONSTRAINT "grants_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "clients"("client_id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "grants" ADD CONSTRAINT "grants_sub_fkey" FOREIGN KEY ("sub") REFERENCES "users"("sub") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "grants" ADD CONSTRAINT "grants_auth_request_id_fkey" FOREIGN KEY ("auth_request_id") REFERENCES "auth_requests"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "refresh_tokens" ADD CONSTRAINT "refresh_tokens_grant_id_fkey" FOREIGN KEY ("grant_id") REFERENCES "grants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "device_sessions" ADD CONSTRAINT "device_sessions_sub_fkey" FOREIGN KEY ("sub") REFERENCES "users"("sub") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_auth_request_id_fkey" FOREIGN KEY ("auth_request_id") REFERENCES "auth_requests"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "delivery_attempts" ADD CONSTRAINT "delivery_attempts_delivery_id_fkey" FOREIGN KEY ("delivery_id") REFERENCES "deliveries"("id") ON DELETE CASCADE ON UPDATE CASCADE;

