package io.daemonverticle.impl.cluster;

import io.daemonverticle.DaemonException;
import io.daemonverticle.impl.resilience.Deadline;
import io.daemonverticle.impl.time.TimeSource;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Work that concurrent askers on this instance share, one piece per key (a cache load, a
 * probe of the daemon). A shared piece of work is a flight with a deadline of its own: at
 * least {@code minMs}, or the starter's deadline when that is later, never the starter's
 * deadline when it is sooner, so a request with 50 ms left does not cut short the work a later
 * request with 20 s joins. A flight is dropped when it succeeds, fails or expires (it then
 * fails, even when the work under it is stuck), so a stuck flight is never shared past its
 * deadline.
 *
 * <p>Each asker is answered by its own deadline: it stops waiting then, whatever the flight
 * does. An asker that joined a flight ending before its own deadline, and saw it fail 503
 * (the flight's time, not the asker's, ran out), starts a flight of its own rather than
 * inheriting the failure. Not thread-safe: one instance per verticle, on its event loop.
 */
public final class Flights<T> {

  private final TimeSource time;
  private final String what;
  private final long minMs;
  private final Runnable gaveUp;
  private final Map<String, Flight<T>> flights = new HashMap<>();

  /**
   * @param what   names the work in failure texts ("shared cache load")
   * @param minMs  the shortest deadline of a flight
   */
  public Flights(TimeSource time, String what, long minMs) {
    this(time, what, minMs, () -> { });
  }

  /**
   * @param gaveUp told once per asker answered 503 by this class (its own deadline passed, or
   *               the flight it joined expired), so that those count with the retry loop's
   *               503s; a failure of the work itself is counted where it happened
   */
  public Flights(TimeSource time, String what, long minMs, Runnable gaveUp) {
    this.time = time;
    this.what = what;
    this.minMs = minMs;
    this.gaveUp = gaveUp;
  }

  /**
   * Joins the flight of this key, or starts one doing {@code work} with the flight's own
   * deadline. The answer comes by {@code deadline}: 503 when the flight has not landed then.
   */
  public Future<T> join(String key, Deadline deadline, Function<Deadline, Future<T>> work) {
    Promise<T> answer = Promise.promise();
    long timer = time.setTimer(Math.max(1, deadline.remainingMs()), id -> {
      // Counted before failing: the asker's handlers run inside the fail and may read it.
      if (!answer.future().isComplete()) {
        gaveUp.run();
        answer.fail(DaemonException.unavailable("deadline passed while waiting for the "
            + what + " of " + key));
      }
    });
    ask(key, deadline, work, false, answer);
    return answer.future().andThen(ar -> time.cancelTimer(timer));
  }

  /** How many flights are in the air (for tests and status). */
  public int inFlight() {
    return flights.size();
  }

  private void ask(String key, Deadline deadline, Function<Deadline, Future<T>> work,
                   boolean mustCoverDeadline, Promise<T> answer) {
    Flight<T> flight = flights.get(key);
    if (flight == null || (mustCoverDeadline && ends(flight, deadline))) {
      flight = start(key, deadline, work);
    }
    Flight<T> joined = flight;
    joined.future.onComplete(ar -> {
      if (ar.succeeded()) {
        answer.tryComplete(ar.result());
      } else if (!mustCoverDeadline && ends(joined, deadline) && !deadline.passed()
          && ar.cause() instanceof DaemonException de
          && de.code() == DaemonException.UNAVAILABLE) {
        // The flight's time ran out before ours: its 503 is not our answer.
        ask(key, deadline, work, true, answer);
      } else if (!answer.future().isComplete()) {
        if (joined.expired) {
          gaveUp.run();
        }
        answer.fail(ar.cause());
      }
    });
  }

  private static boolean ends(Flight<?> flight, Deadline deadline) {
    return flight.deadline.expiresAtNanos() - deadline.expiresAtNanos() < 0;
  }

  private Flight<T> start(String key, Deadline starter, Function<Deadline, Future<T>> work) {
    Deadline own = Deadline.in(Math.max(minMs, starter.remainingMs()), time);
    Promise<T> landed = Promise.promise();
    Flight<T> flight = new Flight<>(own, landed.future());
    flights.put(key, flight);
    long expiry = time.setTimer(Math.max(1, own.remainingMs()), id -> {
      // Marked before failing: the askers' handlers run inside tryFail and read the mark.
      flight.expired = !landed.future().isComplete();
      landed.tryFail(DaemonException.unavailable("the " + what + " of " + key
          + " did not end by its deadline"));
    });
    Future<T> done;
    try {
      done = work.apply(own);
    } catch (RuntimeException e) {
      done = Future.failedFuture(e);
    }
    done.onComplete(landed::tryComplete, landed::tryFail);
    landed.future().onComplete(ar -> {
      time.cancelTimer(expiry);
      flights.remove(key, flight);
    });
    return flight;
  }

  private static final class Flight<T> {
    final Deadline deadline;
    final Future<T> future;
    /** Failed by its own expiry rather than by its work: its askers' 503 is ours to count. */
    boolean expired;

    Flight(Deadline deadline, Future<T> future) {
      this.deadline = deadline;
      this.future = future;
    }
  }
}
