package com.example.gsping.images;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What counts as a secret in an image: credentials files by name, private keys and key stores by content, and
 * credential-looking strings in the image config. Public CA certificates and Java trust stores are allowed only
 * at the places Debian and the JDK keep them, and only when their content proves them public.
 */
final class SecretRules {

    /** Credentials files by path (of a regular file or hard link), checked in this order; the key names the rule. */
    private static final Map<String, Pattern> CREDENTIALS_FILES = ordered(
            "Docker registry credentials", "(^|/)\\.docker/config\\.json$",
            "Maven settings (server passwords)", "(^|/)settings(-security)?\\.xml$",
            "netrc / git / cloud credentials", "(^|/)(\\.netrc|\\.git-credentials|\\.aws/credentials)$",
            "SSH key", "(^|/)id_(rsa|dsa|ecdsa|ed25519)[^/]*$",
            "PEM file", "\\.pem$",
            "key file", "\\.key$",
            "key store", "\\.(p12|pfx|jks|jceks|keystore)$");

    /**
     * Allowlist, PEM: the CA certificate directories of Debian's ca-certificates (/etc/ssl/certs holds
     * the bundle and links to /usr/share/ca-certificates). A .pem there passes only if every PEM block
     * in it is a CERTIFICATE.
     */
    private static final Pattern CA_CERTIFICATE_PEM = Pattern.compile("^/(etc/ssl/certs|usr/share/ca-certificates|usr/local/share/ca-certificates)/.+\\.pem$");

    /**
     * Allowlist, key stores: the JDK's trust store ({@code <java.home>/lib/security/cacerts}) and the one
     * Debian's ca-certificates-java makes for it. A file there is a key store (JKS or PKCS12), and passes only
     * if it opens without a password and holds trusted certificates and nothing else (no private or secret key).
     */
    private static final Pattern JAVA_TRUST_STORE = Pattern.compile("^(/etc/ssl/certs/java|/.+/lib/security)/cacerts$");

    /**
     * Allowlist, private keys in a library: GnuTLS builds into libgnutls the fixed keys of its known-answer self
     * tests (crypto-selftests-pk.c, public in its source), which Debian's libgnutls30 ships in latest's base. Only
     * this library, and only as an ELF object: a PEM file given its name is still a finding.
     */
    private static final Pattern SELF_TEST_KEYS_LIBRARY = Pattern.compile("^/usr/lib/[a-z0-9_]+-linux-gnu[a-z0-9_]*/libgnutls\\.so\\.30(\\.[0-9]+)*$");

    /**
     * Allowlist, a private key in the class archive: multistage's (jib/multistage/class-archive.sh) holds the string
     * constants of the classes it archives, among them the key Netty publishes in its source to probe the TLS
     * provider ({@code io.netty.handler.ssl.SslUtils.PROBING_KEY}). Only that key, by the SHA-256 of its PEM block,
     * and only in a class archive: any other key there is still a finding.
     */
    private static final Pattern CLASS_ARCHIVE = Pattern.compile("^/app/cds/linux-[a-z0-9]+\\.jsa$");
    private static final String NETTY_PROBING_KEY_SHA256 = "sha256:67153216753676a99069a64f0986ef7015efed5eca8d545261c6c1aa9e9117c8";

    /** Longer than any PEM private key (RSA 16384 is about 13 KB); the streaming scan overlaps its reads by as much. */
    private static final int PRIVATE_KEY_BLOCK_MAX = 16 * 1024;
    /**
     * A private key in PEM (PKCS#1, PKCS#8, EC, OpenSSH, encrypted with its Proc-Type/DEK-Info headers): a secret
     * wherever it is. A whole block, BEGIN line, body, END line: TLS libraries (libgnutls, libgio) hold the BEGIN
     * and END lines alone, as strings to parse with.
     */
    private static final Pattern PRIVATE_KEY_BLOCK = Pattern.compile(
            "-----BEGIN (?<label>[A-Z0-9 ]{0,40}PRIVATE KEY)-----[A-Za-z0-9+/=:,\\s-]{1," + PRIVATE_KEY_BLOCK_MAX + "}?-----END \\k<label>-----");
    /** In a config string even the BEGIN line alone gives a key away (the rest may follow in another variable). */
    private static final Pattern PRIVATE_KEY_HEADER = Pattern.compile("-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY-----");
    private static final Pattern PEM_BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]{1,60})-----");

    /** JKS and JCEKS start with these magic numbers, whatever the file is called; ELF objects with theirs. */
    private static final int JKS_MAGIC = 0xFEEDFEED;
    private static final int JCEKS_MAGIC = 0xCECECECE;
    private static final int ELF_MAGIC = 0x7F454C46;

    /** Credential-looking text in config strings (env, labels, entrypoint, history); the key names the rule. */
    private static final Map<String, Pattern> CREDENTIAL_TEXT = ordered(
            "private key", PRIVATE_KEY_HEADER.pattern(),
            "AWS access key ID", "\\b(AKIA|ASIA)[0-9A-Z]{16}\\b",
            "GitHub token", "\\b(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})",
            "Slack token", "\\bxox[abprs]-[A-Za-z0-9-]{10,}",
            "credentials in a URL", "\\b[a-z][a-z0-9+.-]*://[^/\\s:@]+:[^/\\s@]+@",
            "password, secret, token or key assignment",
            "(?i)[a-z0-9_.-]*(password|passwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?)[a-z0-9_.-]*\\s*[=:]\\s*\\S");

    private SecretRules() {
    }

    /** What one pass over a file's bytes found; {@code privateKey}: a key other than Netty's probing key. */
    record ContentSignals(boolean privateKey, boolean nettyProbingKey, boolean javaKeyStore, boolean elf) {
    }

    /** Whether the scan needs a file's bytes kept to judge it (a CA certificate or trust store candidate): small files only. */
    static boolean needsContent(String path) {
        return CA_CERTIFICATE_PEM.matcher(path).matches() || JAVA_TRUST_STORE.matcher(path).matches();
    }

    /** Whether a path is on one of the allowlists (which still check the file's content). */
    static boolean isAllowlisted(String path) {
        return needsContent(path) || SELF_TEST_KEYS_LIBRARY.matcher(path).matches() || CLASS_ARCHIVE.matcher(path).matches();
    }

    /** Reads a file once, streaming: does it hold a PEM private key, is it a JKS/JCEKS key store, an ELF object? */
    static ContentSignals inspect(InputStream content) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        String carry = "";
        boolean privateKey = false;
        boolean nettyProbingKey = false;
        int magic = 0;
        boolean first = true;
        for (int n = content.readNBytes(buffer, 0, buffer.length); n > 0; n = content.readNBytes(buffer, 0, buffer.length)) {
            if (first && n >= 4) {
                magic = ((buffer[0] & 0xff) << 24) | ((buffer[1] & 0xff) << 16) | ((buffer[2] & 0xff) << 8) | (buffer[3] & 0xff);
            }
            first = false;
            // ISO-8859-1 maps bytes to chars one to one; the carried tail finds a block split across two reads
            String text = carry + new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
            for (Matcher block = PRIVATE_KEY_BLOCK.matcher(text); block.find(); ) {
                if (Json.sha256(block.group().getBytes(StandardCharsets.ISO_8859_1)).equals(NETTY_PROBING_KEY_SHA256)) {
                    nettyProbingKey = true;
                } else {
                    privateKey = true;
                }
            }
            carry = text.substring(Math.max(0, text.length() - PRIVATE_KEY_BLOCK_MAX));
        }
        return new ContentSignals(privateKey, nettyProbingKey, magic == JKS_MAGIC || magic == JCEKS_MAGIC, magic == ELF_MAGIC);
    }

    /**
     * The rules a file of an image breaks, judged by its path, what {@link #inspect} found in its bytes, and, for an
     * allowlist candidate, the bytes themselves ({@code kept}, null otherwise).
     */
    static List<String> fileRules(String path, ContentSignals signals, byte[] kept) {
        List<String> broken = new java.util.ArrayList<>();
        if ((signals.privateKey() && !(signals.elf() && SELF_TEST_KEYS_LIBRARY.matcher(path).matches()))
                || (signals.nettyProbingKey() && !CLASS_ARCHIVE.matcher(path).matches())) {
            broken.add("private key (PEM block)");
        }
        Optional<String> byName = CREDENTIALS_FILES.entrySet().stream()
                .filter(rule -> rule.getValue().matcher(path).find()).map(Map.Entry::getKey).findFirst();
        boolean keyStore = signals.javaKeyStore() || byName.filter("key store"::equals).isPresent() || JAVA_TRUST_STORE.matcher(path).matches();
        if (keyStore && !isPublicTrustStore(path, kept)) {
            broken.add("key store");
        } else if (byName.isPresent() && !keyStore && !isPublicCaCertificatePem(path, kept)) {
            broken.add(byName.get());
        }
        return broken;
    }

    /** The rules a config string breaks (an env entry, a label as key=value, an argument, a history line). */
    static List<String> textRules(String text) {
        return CREDENTIAL_TEXT.entrySet().stream()
                .filter(rule -> rule.getValue().matcher(text).find()).map(Map.Entry::getKey).toList();
    }

    private static boolean isPublicCaCertificatePem(String path, byte[] content) {
        if (content == null || !CA_CERTIFICATE_PEM.matcher(path).matches()) {
            return false;
        }
        Matcher block = PEM_BLOCK.matcher(new String(content, StandardCharsets.ISO_8859_1));
        int blocks = 0;
        while (block.find()) {
            if (!block.group(1).equals("CERTIFICATE")) {
                return false;
            }
            blocks++;
        }
        return blocks > 0;
    }

    private static boolean isPublicTrustStore(String path, byte[] content) {
        if (content == null || !JAVA_TRUST_STORE.matcher(path).matches()) {
            return false;
        }
        try {
            // "JKS" reads JKS and PKCS12 alike; no password: integrity unchecked, key entries still show as such
            KeyStore store = KeyStore.getInstance("JKS");
            store.load(new ByteArrayInputStream(content), null);
            List<String> aliases = Collections.list(store.aliases());
            for (String alias : aliases) {
                if (!store.isCertificateEntry(alias)) {
                    return false;
                }
            }
            return !aliases.isEmpty();
        } catch (GeneralSecurityException | IOException notAKeyStoreThatOpensWithoutPassword) {
            return false;
        }
    }

    private static Map<String, Pattern> ordered(String... nameThenRegex) {
        Map<String, Pattern> rules = new LinkedHashMap<>();
        for (int i = 0; i < nameThenRegex.length; i += 2) {
            rules.put(nameThenRegex[i], Pattern.compile(nameThenRegex[i + 1]));
        }
        return Collections.unmodifiableMap(rules);
    }
}
