/*
 * unifold: the form in which two names are the same name to a reader or
 * to a file system that folds case and normalization (APFS, NTFS, SMB):
 * Unicode NFKC with case folding and the default-ignorable characters
 * removed (ICU's NFKC_Casefold), so "Änn" and "äNN", NFC and NFD "Zoë",
 * and "Bob" with a soft hyphen or a bidi control are one key.  Includes
 * nothing foreign in its header; ICU is in unifold.c.
 */
#ifndef ARCHAUDIT_UNIFOLD_H
#define ARCHAUDIT_UNIFOLD_H

/* The key of s (UTF-8; bad bytes count as U+FFFD); caller frees.  Should
 * ICU fail, ASCII case folding of s. */
char *unifold_key(const char *s);

#endif
