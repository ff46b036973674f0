package io.daemonverticle.it;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One Litecoin Core regtest node for a whole test class, started with a few blocks before its
 * first test and stopped, its chain deleted, after its last: register it as a static
 * {@code @RegisterExtension} field. The node is named after the test class (and a suffix, for
 * a class with two), so classes running side by side never share one.
 */
final class OneCoreNode implements BeforeAllCallback, AfterAllCallback {

  private final String suffix;
  private final CoreNode.Settings settings;
  private final int blocks;
  private CoreNode node;

  /** A node started with {@code settings}, {@code blocks} mined on it before the first test. */
  OneCoreNode(CoreNode.Settings settings, int blocks) {
    this("a", settings, blocks);
  }

  OneCoreNode(String suffix, CoreNode.Settings settings, int blocks) {
    this.suffix = suffix;
    this.settings = settings;
    this.blocks = blocks;
  }

  CoreNode node() {
    return node;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    node = CoreNode.start(CoreNode.uniqueName(context.getRequiredTestClass(), suffix), settings);
    int mined = node.mine(blocks);
    if (mined != blocks) {
      // The tests count on the height: a node that mined otherwise would fail them obscurely.
      throw new IllegalStateException("core node " + node.name() + " mined " + mined
          + " blocks, not " + blocks);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    // Null when the start failed: there is nothing to stop then.
    if (node != null) {
      node.stopAndPurge();
    }
  }
}
