package io.daemonverticle.it;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One regtest node for a whole test class, with a few blocks mined before its first test and
 * stopped after its last: register it as a static {@code @RegisterExtension} field. The node
 * is named after the test class, so classes running side by side never share one.
 */
final class OneRegtestNode implements BeforeAllCallback, AfterAllCallback {

  private final int blocks;
  private RegtestNode node;

  /** Mines {@code blocks} on the new node, so that its height is that many. */
  OneRegtestNode(int blocks) {
    this.blocks = blocks;
  }

  RegtestNode node() {
    return node;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    node = RegtestNode.start(RegtestNode.uniqueName(context.getRequiredTestClass(), "a"));
    node.mine(blocks);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    // Null when the start failed: there is nothing to stop then.
    if (node != null) {
      node.stop();
    }
  }
}
