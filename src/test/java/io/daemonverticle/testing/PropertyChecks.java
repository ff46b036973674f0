package io.daemonverticle.testing;

import static org.quicktheories.QuickTheory.qt;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

/**
 * What the property tests share on top of QuickTheories: a run of at least so many tries, and
 * generators for the values they draw from.
 *
 * <p>A falsified property fails its JUnit test with QuickTheories' AssertionError: the smallest
 * falsifying value it shrank to, the others it found, the exception of the failed try, and the
 * seed. {@code mvn test -Dtest=... -DQT_SEED=<seed>} draws the same values again (QuickTheories
 * reads the seed from that system property; without it each run draws new ones).
 */
public final class PropertyChecks {

  /**
   * Each try is a round trip through Vert.x, and QuickTheories would otherwise shrink for up to
   * 100 000 cycles: this keeps a failure's report within seconds to a minute.
   */
  private static final int SHRINK_CYCLES = 500;
  /**
   * Some generators filter (a whole double where a fraction is wanted): QuickTheories' default
   * of 10 rejections per try would end a run as "gave up" now and then.
   */
  private static final int GENERATE_ATTEMPTS = 1_000;
  /** How close to a range's ends "near" is: off-by-one bugs live there. */
  private static final long NEAR = 1_000;

  private PropertyChecks() {
  }

  /** A try that may throw, as the event-bus round trips do. */
  public interface Try<T> {
    void accept(T value) throws Exception;
  }

  /** A try with two values. */
  public interface Try2<A, B> {
    void accept(A a, B b) throws Exception;
  }

  /**
   * Tries {@code property} on at least {@code tries} values of {@code values}. QuickTheories does
   * not try a value twice in a run, so a run asked for n examples may try fewer when some were
   * drawn again; further runs (each with its own seed) then make up the difference.
   */
  public static <T> void check(int tries, Gen<T> values, Try<T> property) {
    int ran = 0;
    while (ran < tries) {
      AtomicInteger count = new AtomicInteger();
      qt().withExamples(tries - ran).withShrinkCycles(SHRINK_CYCLES)
          .withGenerateAttempts(GENERATE_ATTEMPTS)
          .forAll(values)
          .checkAssert((T value) -> {
            count.incrementAndGet();
            try {
              property.accept(value);
            } catch (RuntimeException e) {
              throw e;
            } catch (Exception e) {
              throw new AssertionError("the try threw " + e, e);
            }
          });
      ran += count.get();
    }
  }

  /** {@link #check(int, Gen, Try)} with two values per try. */
  public static <A, B> void check(int tries, Gen<A> as, Gen<B> bs, Try2<A, B> property) {
    Gen<Pair<A, B>> pairs = as.zip(bs, (A a, B b) -> Pair.of(a, b))
        .describedAs((Pair<A, B> p) -> "(" + as.asString(p._1) + ", " + bs.asString(p._2) + ")");
    check(tries, pairs, (Pair<A, B> p) -> property.accept(p._1, p._2));
  }

  // ---- generators ----

  /**
   * A long in [min, max]: anywhere, near either end, or on an end (or on 0 or 1 or -1 when in
   * range), as uniform draws from a wide range would almost never come near its ends.
   */
  public static Gen<Long> longsIn(long min, long max) {
    long width = max - min; // negative when it overflows: then wide
    long near = width >= 0 && width < NEAR ? width : NEAR;
    long step = min < max ? 1 : 0;
    List<Long> edges = new ArrayList<>(List.of(min, min + step, max - step, max));
    for (long special : new long[] {0, 1, -1}) {
      if (special >= min && special <= max) {
        edges.add(special);
      }
    }
    return Generate.oneOf(SourceDSL.longs().between(min, max),
        SourceDSL.longs().between(min, min + near),
        SourceDSL.longs().between(max - near, max),
        Generate.pick(edges));
  }

  /** An int in [min, max], drawn as {@link #longsIn(long, long)}. */
  public static Gen<Integer> intsIn(int min, int max) {
    return longsIn(min, max).map(Long::intValue);
  }

  /**
   * A double: any bit pattern short of NaN (subnormal, huge, infinite), or one with two decimals
   * and up to 13 digits before the point, as people and programs write them.
   */
  public static Gen<Double> doubles() {
    return Generate.oneOf(SourceDSL.doubles().any(),
        longsIn(-1_000_000_000_000_000L, 1_000_000_000_000_000L).map((Long l) -> l / 100.0));
  }

  /** A double that is no whole number. */
  public static Gen<Double> fractions() {
    return doubles().assuming((Double d) -> d != Math.rint(d));
  }

  /**
   * Strings of {@code minLength} to {@code maxLength} chars: of any Unicode code point (lone
   * surrogates and private use included), of the Basic Multilingual Plane, or of printable
   * ASCII, as a draw from all of Unicode is mostly of the supplementary planes and almost never
   * ASCII.
   */
  public static Gen<String> strings(int minLength, int maxLength) {
    return Generate.oneOf(SourceDSL.strings().allPossible().ofLengthBetween(minLength, maxLength),
        SourceDSL.strings().basicMultilingualPlaneAlphabet()
            .ofLengthBetween(minLength, maxLength),
        SourceDSL.strings().basicLatinAlphabet().ofLengthBetween(minLength, maxLength));
  }

  /** Strings of {@code chars} only, of a length drawn from {@code lengths}. */
  public static Gen<String> stringsOf(String chars, Gen<Integer> lengths) {
    List<Character> alphabet = chars.chars().mapToObj((int c) -> (char) c).toList();
    Gen<Character> pick = Generate.pick(alphabet);
    return SourceDSL.lists().of(pick).ofSizes(lengths)
        .map((List<Character> cs) -> cs.stream().map(String::valueOf)
            .collect(Collectors.joining()));
  }

  /** Any char of the Basic Multilingual Plane, or of ASCII (which the first rarely gives). */
  public static Gen<Character> chars() {
    return Generate.oneOf(Generate.characters(0, 0xFFFF), Generate.characters(0, 127));
  }

  /** The start of {@code value}'s text, for failure reports of values that can be huge. */
  public static String brief(Object value) {
    String text = String.valueOf(value);
    return text.length() > 200 ? text.substring(0, 200) + "... (" + text.length() + " chars)"
        : text;
  }
}
