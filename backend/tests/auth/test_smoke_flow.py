def test_register_then_me(client):
    response = client.post(
        "/api/auth/register",
        json={"email": "Ravi@Example.com", "password": "a-fine-password-42", "name": "Ravi"},
    )
    assert response.status_code == 201
    token = response.json["access_token"]
    me = client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.json["email"] == "ravi@example.com"
    assert me.json["role"] == "student"
