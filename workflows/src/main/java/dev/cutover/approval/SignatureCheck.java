package dev.cutover.approval;

/** The outcome of checking one signature: the signer when valid, the reason when not. */
public record SignatureCheck(boolean valid, AllowedSigner signer, String reason) {}
