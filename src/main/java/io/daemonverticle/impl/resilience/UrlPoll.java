package io.daemonverticle.impl.resilience;

/**
 * What one poll of one daemon URL saw of its chain.
 *
 * @param blocks      its height (blocks validated)
 * @param headers     headers it knows (null: it does not say)
 * @param syncing     still catching up: in initial block download, or headers well ahead of
 *                    blocks
 * @param pruneHeight the lowest block it still has (null: not pruned, or it does not say)
 */
public record UrlPoll(int blocks, Integer headers, boolean syncing, Integer pruneHeight) {
}
