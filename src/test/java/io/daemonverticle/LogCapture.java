package io.daemonverticle;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Captures every log event of the JVM (root logger) while open, with the service's own
 * loggers at DEBUG so that nothing they could say escapes the assertions.
 */
public final class LogCapture implements AutoCloseable {

  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
  private final Logger ours = (Logger) LoggerFactory.getLogger("io.daemonverticle");
  private final Level oldLevel;

  private LogCapture() {
    oldLevel = ours.getLevel();
    ours.setLevel(Level.DEBUG);
    appender.start();
    root.addAppender(appender);
  }

  public static LogCapture start() {
    return new LogCapture();
  }

  /** Each event as "LEVEL logger - message", followed by any exception's text and trace. */
  public List<String> lines() {
    List<ILoggingEvent> events;
    synchronized (appender) {
      events = new ArrayList<>(appender.list);
    }
    List<String> lines = new ArrayList<>(events.size());
    for (ILoggingEvent e : events) {
      StringBuilder line = new StringBuilder()
          .append(e.getLevel()).append(' ').append(e.getLoggerName()).append(" - ")
          .append(e.getFormattedMessage());
      IThrowableProxy thrown = e.getThrowableProxy();
      if (thrown != null) {
        line.append('\n').append(ThrowableProxyUtil.asString(thrown));
      }
      lines.add(line.toString());
    }
    return lines;
  }

  /** Lines containing the text. */
  public List<String> linesWith(String text) {
    return lines().stream().filter((String l) -> l.contains(text)).toList();
  }

  @Override
  public void close() {
    root.detachAppender(appender);
    appender.stop();
    ours.setLevel(oldLevel);
  }
}
