// SPDX-License-Identifier: GPL-3.0-or-later
// The account's end-to-end encryption: scrypt as RFC 7914 defines it (values from Python's hashlib.scrypt),
// AES-256-GCM files bound to their names, every damaged form refused, a wrong passphrase told apart.
#include "core/sync/crypto.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace cachewise;

class TestSyncCrypto : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void scryptAsSpecified();
    void badKeyInputsRefused();
    void sealedFilesOpenOnlyUnchanged();
    void accountKeyTellsAWrongPassphraseApart();

private:
    static QByteArray testKey()
    {
        return QByteArray::fromHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    }
};

void TestSyncCrypto::scryptAsSpecified()
{
    QByteArray salt;
    for (int i = 0; i < 16; ++i)
        salt.append(char(i));
    auto key = sync::deriveKey(QStringLiteral("correct horse"), salt, {10, 8, 1});
    QVERIFY2(key, qPrintable(key ? QString() : key.errorMessage()));
    QCOMPARE(key->toHex(), QByteArray("9df923deed5f4531c279af9f56bd37b1657bef4929e702ce2e811a93388a86a1"));
    // The default cost, and a passphrase outside ASCII (its UTF-8 bytes are what count).
    QByteArray other;
    for (int i = 16; i < 32; ++i)
        other.append(char(i));
    key = sync::deriveKey(QStringLiteral("şifre ünlü"), other);
    QVERIFY(key);
    QCOMPARE(key->toHex(), QByteArray("1ba8b026d98b91e2802e96a45ef0ba62fa57c3ed6a950b8061b9622055dc3163"));
}

void TestSyncCrypto::badKeyInputsRefused()
{
    const QByteArray salt(16, 'x');
    const struct
    {
        QString passphrase;
        QByteArray salt;
        sync::ScryptCost cost;
        const char *field;
    } cases[] = {
        {QString(), salt, {10, 8, 1}, "passphrase"},
        {QStringLiteral("p"), QByteArray(15, 'x'), {10, 8, 1}, "salt"},
        {QStringLiteral("p"), QByteArray(), {10, 8, 1}, "salt"},
        {QStringLiteral("p"), salt, {9, 8, 1}, "cost"},
        {QStringLiteral("p"), salt, {21, 8, 1}, "cost"},
        {QStringLiteral("p"), salt, {10, 0, 1}, "cost"},
        {QStringLiteral("p"), salt, {10, 8, 17}, "cost"},
    };
    for (const auto &c : cases) {
        const auto key = sync::deriveKey(c.passphrase, c.salt, c.cost);
        QVERIFY(!key);
        QCOMPARE(key.error().kind, ErrorKind::BadInput);
        QCOMPARE(key.error().field, QString::fromLatin1(c.field));
    }
}

void TestSyncCrypto::sealedFilesOpenOnlyUnchanged()
{
    const QByteArray key = testKey();
    const QByteArray plain = QByteArrayLiteral("{\"project\":\"Local\",\"secret\":\"rollups\"}");
    const QByteArray name = QByteArrayLiteral("3f1d2c4b/000000000017");
    const QByteArray sealed = sync::seal(key, plain, name);
    QVERIFY(sync::looksSealed(sealed));
    QCOMPARE(sealed.size(), 4 + 12 + plain.size() + 16);
    QVERIFY(!sealed.contains(QByteArrayLiteral("project")));
    QVERIFY(sync::seal(key, plain, name) != sealed); // a fresh nonce every time
    auto opened = sync::open(key, sealed, name);
    QVERIFY(opened);
    QCOMPARE(opened.value(), plain);
    QCOMPARE(sync::open(key, sync::seal(key, QByteArray(), name), name).value(), QByteArray());

    const auto refused = [&](const QByteArray &bytes, const QByteArray &asName, const QByteArray &withKey) {
        const auto r = sync::open(withKey, bytes, asName);
        return !r && r.error().kind == ErrorKind::BadInput && r.error().field == QLatin1String("file");
    };
    QVERIFY(refused(sealed, QByteArrayLiteral("3f1d2c4b/000000000018"), key)); // put in another's place
    QByteArray otherKey = key;
    otherKey[0] = char(otherKey[0] ^ 1);
    QVERIFY(refused(sealed, name, otherKey));
    // One bit flipped anywhere: the magic, the nonce, the body, the tag.
    for (const qsizetype at : {qsizetype(0), qsizetype(5), qsizetype(20), sealed.size() - 1}) {
        QByteArray changed = sealed;
        changed[at] = char(changed[at] ^ 0x01);
        QVERIFY2(refused(changed, name, key), qPrintable(QString::number(at)));
    }
    QVERIFY(refused(sealed.left(sealed.size() - 1), name, key)); // cut short
    QVERIFY(refused(sealed.left(20), name, key));
    QVERIFY(refused(plain, name, key)); // never encrypted
    QVERIFY(refused(sealed + QByteArrayLiteral("x"), name, key));
    const auto shortKey = sync::open(QByteArray(16, 'k'), sealed, name);
    QVERIFY(!shortKey && shortKey.error().field == QLatin1String("key"));
}

void TestSyncCrypto::accountKeyTellsAWrongPassphraseApart()
{
    auto account = sync::createAccountKey(QStringLiteral("laptop and desktop"), {10, 8, 1});
    QVERIFY(account);
    QCOMPARE(account->key.size(), sync::kKeyBytes);
    QVERIFY(!account->keyFile.contains("laptop"));
    auto unlocked = sync::unlockAccountKey(QStringLiteral("laptop and desktop"), account->keyFile);
    QVERIFY(unlocked);
    QCOMPARE(unlocked.value(), account->key);
    // What one device sealed, another opens with the key from the passphrase.
    const QByteArray sealed = sync::seal(account->key, QByteArrayLiteral("change"), QByteArrayLiteral("d/1"));
    QCOMPARE(sync::open(unlocked.value(), sealed, QByteArrayLiteral("d/1")).value(),
             QByteArrayLiteral("change"));

    const auto wrong = sync::unlockAccountKey(QStringLiteral("laptop and desktop "), account->keyFile);
    QVERIFY(!wrong);
    QCOMPARE(wrong.error().field, QStringLiteral("passphrase"));
    QVERIFY(wrong.errorMessage().contains(QStringLiteral("Wrong passphrase")));
    const auto empty = sync::unlockAccountKey(QString(), account->keyFile);
    QVERIFY(!empty && empty.error().field == QLatin1String("passphrase"));

    // Two accounts with one passphrase have different salts, so different keys.
    auto second = sync::createAccountKey(QStringLiteral("laptop and desktop"), {10, 8, 1});
    QVERIFY(second && second->key != account->key);

    const QJsonObject good = QJsonDocument::fromJson(account->keyFile).object();
    const auto withField = [&](const QString &key, const QJsonValue &value) {
        QJsonObject o = good;
        o.insert(key, value);
        return QJsonDocument(o).toJson(QJsonDocument::Compact);
    };
    for (const QByteArray &malformed :
         {QByteArrayLiteral("not json"), QByteArrayLiteral("[]"), withField(QStringLiteral("version"), 2),
          withField(QStringLiteral("kdf"), QStringLiteral("pbkdf2")),
          withField(QStringLiteral("salt"), QStringLiteral("***")),
          withField(QStringLiteral("salt"), QStringLiteral("AAAA")), withField(QStringLiteral("logN"), 30),
          withField(QStringLiteral("r"), QStringLiteral("8")),
          withField(QStringLiteral("check"), QStringLiteral("%%"))}) {
        const auto r = sync::unlockAccountKey(QStringLiteral("laptop and desktop"), malformed);
        QVERIFY2(!r && r.error().field == QLatin1String("keyFile"), malformed.constData());
    }
}

QTEST_GUILESS_MAIN(TestSyncCrypto)
#include "tst_synccrypto.moc"
