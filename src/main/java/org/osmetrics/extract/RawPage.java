package org.osmetrics.extract;

/**
 * One HTTP response body as received, kept for audit.
 *
 * @param url  the request URL (query included, no credentials: tokens travel in headers only)
 * @param body the response body text
 */
public record RawPage(int index, String url, int status, String microversion, String body) {
}
