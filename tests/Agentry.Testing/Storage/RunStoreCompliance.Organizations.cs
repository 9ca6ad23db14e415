namespace Agentry.Testing.Storage;

public abstract partial class RunStoreCompliance
{
    [Fact]
    public async Task CreateOrganization_WithFirstKey_FindsTheKeyByItsHash()
    {
        var organization = Data.NewOrganization();
        var key = Data.NewKey(organization.Id);

        await Organizations.CreateAsync(organization, key, Ct);

        (await Organizations.GetAsync(organization.Id, Ct)).ShouldBe(organization);
        var found = (await Organizations.FindKeyByHashAsync(key.KeyHash, Ct)).ShouldNotBeNull();
        (found.Id, found.OrganizationId, found.Name, found.KeyHash, found.CreatedAt, found.RevokedAt)
            .ShouldBe((key.Id, organization.Id, key.Name, key.KeyHash, key.CreatedAt, (DateTimeOffset?)null));
        found.Scopes.ShouldBe(key.Scopes);
        (await Organizations.FindKeyByHashAsync("sha256:unknown", Ct)).ShouldBeNull();
        (await Organizations.GetAsync("org_missing", Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task ListOrganizations_Several_ListsOldestFirst()
    {
        var first = Data.NewOrganization("First");
        Data.Time.Advance(TimeSpan.FromSeconds(1));
        var second = Data.NewOrganization("Second");
        await Organizations.CreateAsync(second, Data.NewKey(second.Id), Ct);
        await Organizations.CreateAsync(first, Data.NewKey(first.Id), Ct);

        (await Organizations.ListAsync(Ct)).ShouldBe([first, second]);
    }

    [Fact]
    public async Task RevokeKey_ActiveKey_HidesItFromTheListWhileFindStillAnswersIt()
    {
        var organization = Data.NewOrganization();
        var firstKey = Data.NewKey(organization.Id, "first");
        await Organizations.CreateAsync(organization, firstKey, Ct);
        Data.Time.Advance(TimeSpan.FromSeconds(1));
        var secondKey = Data.NewKey(organization.Id, "second");
        await Organizations.AddKeyAsync(secondKey, Ct);
        (await Organizations.ListKeysAsync(organization.Id, Ct)).Select(k => k.Id).ShouldBe([firstKey.Id, secondKey.Id]);
        Data.Time.Advance(TimeSpan.FromSeconds(1));

        (await Organizations.RevokeKeyAsync(organization.Id, firstKey.Id, Data.Now, Ct)).ShouldBeTrue();

        (await Organizations.ListKeysAsync(organization.Id, Ct)).Select(k => k.Id).ShouldBe([secondKey.Id]);
        (await Organizations.FindKeyByHashAsync(firstKey.KeyHash, Ct)).ShouldNotBeNull().RevokedAt.ShouldBe(Data.Now);
        (await Organizations.RevokeKeyAsync(organization.Id, firstKey.Id, Data.Now, Ct)).ShouldBeFalse();
    }

    [Fact]
    public async Task RevokeKey_OfAnotherOrganization_ReturnsFalseAndKeepsTheKey()
    {
        var mine = Data.NewOrganization("Mine");
        var theirs = Data.NewOrganization("Theirs");
        var theirKey = Data.NewKey(theirs.Id);
        await Organizations.CreateAsync(mine, Data.NewKey(mine.Id), Ct);
        await Organizations.CreateAsync(theirs, theirKey, Ct);

        (await Organizations.RevokeKeyAsync(mine.Id, theirKey.Id, Data.Now, Ct)).ShouldBeFalse();

        (await Organizations.FindKeyByHashAsync(theirKey.KeyHash, Ct)).ShouldNotBeNull().RevokedAt.ShouldBeNull();
        (await Organizations.ListKeysAsync(mine.Id, Ct)).ShouldNotContain(k => k.Id == theirKey.Id);
    }

    [Fact]
    public async Task AddKey_HashAlreadyInUse_ThrowsAndKeepsTheFirstKey()
    {
        var organization = Data.NewOrganization();
        var key = Data.NewKey(organization.Id);
        await Organizations.CreateAsync(organization, key, Ct);

        await Assert.ThrowsAnyAsync<Exception>(() => Organizations.AddKeyAsync(Data.NewKey(organization.Id) with { KeyHash = key.KeyHash }, Ct));

        (await Organizations.FindKeyByHashAsync(key.KeyHash, Ct)).ShouldNotBeNull().Id.ShouldBe(key.Id);
        (await Organizations.ListKeysAsync(organization.Id, Ct)).Count.ShouldBe(1);
    }
}
