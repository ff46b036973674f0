package io.daemonverticle.impl.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one masking routine for text that may reach a log, a reply or an exception: a URL, a
 * daemon's or a proxy's words. {@link #redact} applies, in this order:
 * <ol>
 *   <li>the known secrets, by value: each password and token given to {@link #withCredentials}
 *       or {@link #withSecret}, percent-encoded too, {@code user:password}, and
 *       {@code base64(user:password)} (standard and URL-safe, padded or not), each where it
 *       stands as a whole (not inside a longer word or number);</li>
 *   <li>the value of an {@code Authorization} or {@code Proxy-Authorization} header, and the
 *       credentials after {@code Basic} or {@code Bearer};</li>
 *   <li>the user info of every URL: up to the last {@code @} after the scheme, by the rule
 *       {@code DaemonUrl} parses with ({@link #userInfoEnd}), so a password may hold
 *       {@code /}, {@code @}, {@code :} and percent-escapes.</li>
 * </ol>
 * Each is replaced by {@value #MASK}. {@link #daemonText} also takes out control characters
 * and bounds the text. Immutable: one instance may serve every thread.
 */
public final class Redactor {

  public static final String MASK = "***";
  /** The most of a daemon's or proxy's text a message repeats. */
  public static final int MAX_DAEMON_TEXT = 200;
  /**
   * A shorter password is not searched for alone: it would be found in ordinary words. Its
   * base64 forms are still searched, and a URL's or a header's structure still hides it.
   */
  static final int MIN_SEARCHED = 4;

  private static final Redactor NONE = new Redactor(List.of());

  /** The header's value: quoted (JSON, HTML attributes) or to the end of its line. */
  private static final Pattern AUTHORIZATION = Pattern.compile("(?i)(\\b(?:proxy-)?"
      + "authorization[\"']?\\s*[:=]\\s*)(?:([\"'])(?:(?!\\2)[^\\\\\\r\\n]|\\\\.)*+\\2"
      + "|[^\\r\\n<>\"\\\\]+)");
  /** A challenge's {@code Basic realm="..."} carries no credentials. */
  private static final Pattern SCHEME_CREDENTIALS = Pattern.compile(
      "(?i)\\b((?:basic|bearer)\\s+)(?!realm\\b)[A-Za-z0-9+/_.~-]{4,}+=*+");
  /** Where a URL in free text may end; a comma also separates the URLs of a list. */
  private static final Pattern TOKEN = Pattern.compile("[^\\s,\"<>]+");
  private static final Pattern ESCAPE = Pattern.compile("%[0-9A-F]{2}");
  private static final Pattern UNPRINTABLE = Pattern.compile("[\\p{Cc}\\p{Cf}\\p{Z}\\s]+");

  /** Every form to remove, the longest first, so a form that holds another goes first. */
  private final List<String> forms;

  private Redactor(List<String> forms) {
    this.forms = forms;
  }

  /** Knows no secret: masks headers and URLs only. */
  public static Redactor none() {
    return NONE;
  }

  /** Also removes this password, {@code user:password} and their encoded forms. */
  public Redactor withCredentials(String user, String password) {
    if (password == null || password.isEmpty()) {
      return this;
    }
    Set<String> more = new LinkedHashSet<>();
    searchable(more, password);
    if (user != null) {
      String pair = user + ":" + password;
      searchable(more, pair);
      byte[] bytes = pair.getBytes(StandardCharsets.UTF_8);
      // A Basic header's form: long enough to stand for itself, however short the password.
      more.add(Base64.getEncoder().encodeToString(bytes));
      more.add(Base64.getEncoder().withoutPadding().encodeToString(bytes));
      more.add(Base64.getUrlEncoder().encodeToString(bytes));
      more.add(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }
    return with(more);
  }

  /** Also removes this value (a token, a password without user) and its encoded forms. */
  public Redactor withSecret(String value) {
    if (value == null || value.isEmpty()) {
      return this;
    }
    Set<String> more = new LinkedHashSet<>();
    searchable(more, value);
    return with(more);
  }

  /** The value and its percent-encoded forms (a URL's user info), when long enough. */
  private static void searchable(Set<String> forms, String value) {
    if (value.length() < MIN_SEARCHED) {
      return;
    }
    String encoded = URLEncoder.encode(value, StandardCharsets.UTF_8);
    for (String form : List.of(value, encoded, encoded.replace("+", "%20"))) {
      forms.add(form);
      forms.add(ESCAPE.matcher(form).replaceAll(m -> m.group().toLowerCase(Locale.ROOT)));
    }
  }

  private Redactor with(Set<String> more) {
    Set<String> all = new LinkedHashSet<>(forms);
    all.addAll(more);
    List<String> sorted = new ArrayList<>(all);
    sorted.sort(Comparator.comparingInt(String::length).reversed());
    return new Redactor(List.copyOf(sorted));
  }

  /** The text with every secret this knows, every header value and URL user info masked. */
  public String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String masked = text;
    for (String form : forms) {
      masked = removeWhole(masked, form);
    }
    masked = AUTHORIZATION.matcher(masked).replaceAll(m -> Matcher.quoteReplacement(
        m.group(1) + (m.group(2) == null ? MASK : m.group(2) + MASK + m.group(2))));
    masked = SCHEME_CREDENTIALS.matcher(masked).replaceAll("$1" + MASK);
    if (masked.indexOf('@') >= 0) {
      masked = TOKEN.matcher(masked).replaceAll(m -> Matcher.quoteReplacement(
          maskUserInfo(m.group(), true)));
    }
    return masked;
  }

  /**
   * A daemon's or a proxy's text as a message may repeat it: {@link #redact redacted}, its
   * control and invisible characters and its line breaks made single spaces (it stays one log
   * line), and its first {@value #MAX_DAEMON_TEXT} characters only. Redacted before it is cut,
   * so no piece of a secret is left at the cut.
   */
  public String daemonText(String text) {
    if (text == null) {
      return "";
    }
    String clean = UNPRINTABLE.matcher(redact(text)).replaceAll(" ").strip();
    if (clean.length() <= MAX_DAEMON_TEXT) {
      return clean;
    }
    int cut = MAX_DAEMON_TEXT;
    if (Character.isHighSurrogate(clean.charAt(cut - 1))) {
      cut--;
    }
    return clean.substring(0, cut) + "...";
  }

  /**
   * A JSON value (a daemon's JSON-RPC error) with each of its strings redacted: the text of
   * the JSON is not redacted as text, where a mask could cut an escape sequence in two.
   */
  public Object redactJson(Object json) {
    if (json instanceof String s) {
      return redact(s);
    }
    if (json instanceof JsonObject o) {
      JsonObject copy = new JsonObject();
      for (Map.Entry<String, Object> e : o) {
        copy.put(e.getKey(), redactJson(e.getValue()));
      }
      return copy;
    }
    if (json instanceof JsonArray a) {
      JsonArray copy = new JsonArray();
      a.forEach(item -> copy.add(redactJson(item)));
      return copy;
    }
    return json;
  }

  /**
   * A config value that may hold URLs (daemonUrl: a comma-separated list; proxyUrl): each
   * item's user info masked as {@code DaemonUrl} would take it, spaces in a password too.
   */
  public static String maskUrlList(String urls) {
    if (urls == null || urls.indexOf('@') < 0) {
      return urls;
    }
    String[] items = urls.split(",", -1);
    for (int i = 0; i < items.length; i++) {
      items[i] = maskUserInfo(items[i], false);
    }
    return String.join(",", items);
  }

  /**
   * Where a URL's user info ends: its last {@code @} after the scheme's {@code ://} (anywhere
   * when it has no scheme); -1 when it has none. {@code DaemonUrl} parses by this rule, so
   * what it takes as credentials is what is masked.
   */
  public static int userInfoEnd(String url) {
    int scheme = url.indexOf("://");
    int at = url.lastIndexOf('@');
    return at >= (scheme < 0 ? 0 : scheme + 3) ? at : -1;
  }

  /**
   * @param inText a word of free text: without a scheme, only {@code user:password@} is taken
   *     for user info (an e-mail address is not)
   */
  private static String maskUserInfo(String url, boolean inText) {
    int at = userInfoEnd(url);
    if (at < 0) {
      return url;
    }
    int scheme = url.indexOf("://");
    int start = scheme >= 0 ? scheme + 3 : url.startsWith("//") ? 2 : 0;
    if (at <= start || (inText && scheme < 0 && url.lastIndexOf(':', at) < start)) {
      return url;
    }
    return url.substring(0, start) + MASK + url.substring(at);
  }

  /** Replaces {@code form} where it stands whole: not glued to letters or digits around it. */
  private static String removeWhole(String text, String form) {
    int found = text.indexOf(form);
    if (found < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int copied = 0;
    for (; found >= 0; found = text.indexOf(form, found + 1)) {
      int end = found + form.length();
      if (found < copied || glued(text, found - 1, form.charAt(0))
          || glued(text, end, form.charAt(form.length() - 1))) {
        continue;
      }
      out.append(text, copied, found).append(MASK);
      copied = end;
    }
    return out.append(text, copied, text.length()).toString();
  }

  private static boolean glued(String text, int neighbour, char edge) {
    return neighbour >= 0 && neighbour < text.length() && Character.isLetterOrDigit(edge)
        && Character.isLetterOrDigit(text.charAt(neighbour));
  }
}
