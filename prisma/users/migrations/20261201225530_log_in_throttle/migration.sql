-- CreateTable
CREATE TABLE "LogInThrottle" (
    "emailHash" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "windowStartedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "LogInThrottle_pkey" PRIMARY KEY ("emailHash")
);

-- CreateIndex
CREATE INDEX "LogInThrottle_windowStartedAt_idx" ON "LogInThrottle"("windowStartedAt");
