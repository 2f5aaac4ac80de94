-- AlterTable
ALTER TABLE "clients" ADD COLUMN "secret_ciphertext" TEXT;

