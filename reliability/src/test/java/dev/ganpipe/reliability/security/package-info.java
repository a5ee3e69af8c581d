/**
 * The services on a broker that requires SASL/SCRAM logins and enforces ACLs: configured only through
 * {@code --kafka-config} and {@code GAN_KAFKA_CLIENT_*}, with exactly the ACLs docs/security.md lists, and what they
 * say when the password or an ACL is wrong.
 */
package dev.ganpipe.reliability.security;
