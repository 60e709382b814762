package com.example.gsping.images;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;

import static com.example.gsping.images.FixtureImage.FixtureEntry.file;
import static com.example.gsping.images.FixtureImage.FixtureEntry.symlink;
import static com.example.gsping.images.FixtureImage.FixtureEntry.whiteout;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link SecretScan} on image tarballs made here: it finds each planted secret, and passes public CA certificates and trust stores. */
class SecretScanTest {

    private static final String CERTIFICATE = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ2E=\n-----END CERTIFICATE-----\n";
    private static final String PRIVATE_KEY = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEI=\n-----END PRIVATE KEY-----\n";
    private static final String JIB_HISTORY = "{\"created_by\":\"jib-maven-plugin:3.5.2\",\"comment\":\"classes\"}";

    @TempDir
    Path dir;

    @Test
    void findsEveryPlantedSecretInFilesOfEveryLayerAndInTheConfig() throws Exception {
        byte[] paddedKey = new byte[70 * 1024];
        byte[] marker = PRIVATE_KEY.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(marker, 0, paddedKey, 64 * 1024 - 10, marker.length); // across the scanner's 64 KiB reads
        ImageTarball image = new FixtureImage()
                .layer(file("/root/.docker/config.json", "{\"auths\":{\"ghcr.io\":{\"auth\":\"dXNlcjpwYXNz\"}}}"),
                        file("/home/ci/.m2/settings.xml", "<settings><servers><server><password>p</password></server></servers></settings>"),
                        file("/home/ci/.m2/settings-security.xml", "<settingsSecurity><master>{x}</master></settingsSecurity>"),
                        file("/home/ci/.ssh/id_ed25519", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk=\n-----END OPENSSH PRIVATE KEY-----\n"),
                        file("/srv/tls/server.key", "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEI=\n-----END EC PRIVATE KEY-----\n"),
                        file("/srv/tls/client.p12", 0600, new byte[] {0x30, (byte) 0x82, 0x0a, 0x10}),
                        file("/etc/ssl/certs/evil.pem", CERTIFICATE + PRIVATE_KEY),
                        file("/opt/app/data.bin", 0644, secretKeyStore()),
                        file("/usr/lib/jvm/fake/lib/security/cacerts", 0644, secretKeyStore()),
                        file("/opt/app/notes.txt", 0644, paddedKey),
                        file("/usr/lib/x86_64-linux-gnu/libgnutls.so.30", PRIVATE_KEY), // a PEM file, not the library
                        file("/app/cds/linux-amd64.jsa", PRIVATE_KEY), // a class archive may hold Netty's probing key only
                        file("/etc/ssl/certs/ca.pem", CERTIFICATE),
                        file("/opt/java/lib/security/cacerts", 0644, jdkTrustStore()))
                .layer(whiteout("/root/.docker/config.json"), file("/app/hello.txt", "Hello, Docker! <3"))
                .config("""
                        {"Env":["PATH=/usr/bin","AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE","DB_PASSWORD=hunter2"],
                         "Entrypoint":["java","-Djavax.net.ssl.keyStorePassword=changeit","-jar","app.jar"],
                         "Labels":{"org.opencontainers.image.title":"fixture","deploy.token":"abc123"}}""",
                        "[{\"created_by\":\"RUN curl -O https://ci:s3cret@repo.example/tool\"}," + JIB_HISTORY + "]")
                .writeTo(dir.resolve("planted.tar"));

        SecretScan.Report report = SecretScan.of(image);

        assertEquals(List.of(
                "layer 0 /root/.docker/config.json: Docker registry credentials",
                "layer 0 /home/ci/.m2/settings.xml: Maven settings (server passwords)",
                "layer 0 /home/ci/.m2/settings-security.xml: Maven settings (server passwords)",
                "layer 0 /home/ci/.ssh/id_ed25519: private key (PEM block)",
                "layer 0 /home/ci/.ssh/id_ed25519: SSH key",
                "layer 0 /srv/tls/server.key: private key (PEM block)",
                "layer 0 /srv/tls/server.key: key file",
                "layer 0 /srv/tls/client.p12: key store",
                "layer 0 /etc/ssl/certs/evil.pem: private key (PEM block)",
                "layer 0 /etc/ssl/certs/evil.pem: PEM file",
                "layer 0 /opt/app/data.bin: key store",
                "layer 0 /usr/lib/jvm/fake/lib/security/cacerts: key store",
                "layer 0 /opt/app/notes.txt: private key (PEM block)",
                "layer 0 /usr/lib/x86_64-linux-gnu/libgnutls.so.30: private key (PEM block)",
                "layer 0 /app/cds/linux-amd64.jsa: private key (PEM block)",
                "config Env[1]: AWS access key ID",
                "config Env[1]: password, secret, token or key assignment",
                "config Env[2]: password, secret, token or key assignment",
                "config Entrypoint[1]: password, secret, token or key assignment",
                "config label deploy.token: password, secret, token or key assignment",
                "config history[0].created_by: credentials in a URL"),
                report.findings().stream().map(SecretScan.Finding::toString).toList());
        assertEquals(List.of("layer 0 /etc/ssl/certs/ca.pem", "layer 0 /opt/java/lib/security/cacerts"), report.allowlisted());
    }

    @Test
    void passesPublicCaCertificatesTheJdkTrustStoreAndPlainFiles() throws Exception {
        ImageTarball image = new FixtureImage()
                .layer(file("/etc/ssl/certs/ca.pem", CERTIFICATE + CERTIFICATE),
                        symlink("/etc/ssl/certs/Other_CA.pem", "/usr/share/ca-certificates/mozilla/Other_CA.crt"),
                        file("/usr/share/ca-certificates/mozilla/Other_CA.crt", CERTIFICATE),
                        file("/etc/ssl/certs/java/cacerts", 0644, jdkTrustStore()),
                        file("/etc/default/cacerts", "cacerts_updates=yes\n"),
                        // a TLS library's PEM parser: BEGIN and END lines as strings, no key between them
                        file("/usr/lib/libtls.so", "\0-----BEGIN RSA PRIVATE KEY-----\0-----END RSA PRIVATE KEY-----\0"),
                        // GnuTLS's self-test keys, built into the library
                        file("/usr/lib/x86_64-linux-gnu/libgnutls.so.30.34.3", "\u007fELF\2\1\1\0" + PRIVATE_KEY),
                        file("/app/resources/application.properties", "micronaut.server.port=${PORT:8080}"))
                .config("{\"Env\":[\"PATH=/opt/java/bin\",\"MALLOC_ARENA_MAX=2\"],\"Labels\":{\"org.opencontainers.image.revision\":\"0123abcd\"}}",
                        "[" + JIB_HISTORY + "]")
                .writeTo(dir.resolve("clean.tar"));

        SecretScan.Report report = SecretScan.of(image);

        assertEquals(List.of(), report.findings());
        assertEquals(List.of("layer 0 /etc/ssl/certs/ca.pem", "layer 0 /etc/ssl/certs/java/cacerts",
                "layer 0 /usr/lib/x86_64-linux-gnu/libgnutls.so.30.34.3"), report.allowlisted());
        assertEquals(7, report.filesScanned(), "regular files only: the symlink has no content of its own");
    }

    /** A JCEKS key store holding a secret key: what must never ship, whatever the file is called. */
    private static byte[] secretKeyStore() throws Exception {
        KeyStore store = KeyStore.getInstance("JCEKS");
        store.load(null, null);
        char[] password = "changeit".toCharArray();
        store.setEntry("db", new KeyStore.SecretKeyEntry(new SecretKeySpec(new byte[16], "AES")), new KeyStore.PasswordProtection(password));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        store.store(bytes, password);
        return bytes.toByteArray();
    }

    /** The running JDK's own trust store: public CA certificates only. */
    private static byte[] jdkTrustStore() throws Exception {
        return Files.readAllBytes(Path.of(System.getProperty("java.home"), "lib", "security", "cacerts"));
    }
}
