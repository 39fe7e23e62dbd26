"""pytorch/examples DCGAN shrunk to 8x8 digits: a ConvTranspose2d/BatchNorm2d/ReLU(True)/Tanh
generator and a Conv2d/LeakyReLU(0.2, inplace=True)/BatchNorm2d/Sigmoid discriminator,
weights_init by class name through .apply, nn.BCELoss, torch.full labels refilled with
.fill_(), fake.detach() for the discriminator step, two Adam optimisers with betas=(0.5, 0.999)
and the example's %-formatted log line. Returned: how far the generated images' pixel mean and
spread are from the data's (it falls as the generator learns)."""

from digits_data import load_digits

# --- imports (the only lines that differ from PyTorch) ---
import minitorch as torch
import minitorch.nn as nn
import minitorch.optim as optim
import minitorch.utils.data
# --- end of imports ---

nz, ngf, ndf, nc = 16, 16, 16, 1


# custom weights initialization called on netG and netD
def weights_init(m):
    classname = m.__class__.__name__
    if classname.find("Conv") != -1:
        torch.nn.init.normal_(m.weight, 0.0, 0.02)
    elif classname.find("BatchNorm") != -1:
        torch.nn.init.normal_(m.weight, 1.0, 0.02)
        torch.nn.init.zeros_(m.bias)


class Generator(nn.Module):
    def __init__(self):
        super(Generator, self).__init__()
        self.main = nn.Sequential(
            # input is Z, going into a convolution
            nn.ConvTranspose2d(nz, ngf * 2, 4, 1, 0, bias=False),
            nn.BatchNorm2d(ngf * 2),
            nn.ReLU(True),
            # state size. (ngf*2) x 4 x 4
            nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ngf),
            nn.ReLU(True),
            # state size. (ngf) x 8 x 8
            nn.ConvTranspose2d(ngf, nc, 3, 1, 1, bias=False),
            nn.Tanh(),
            # state size. (nc) x 8 x 8
        )

    def forward(self, input):
        return self.main(input)


class Discriminator(nn.Module):
    def __init__(self):
        super(Discriminator, self).__init__()
        self.main = nn.Sequential(
            # input is (nc) x 8 x 8
            nn.Conv2d(nc, ndf, 4, 2, 1, bias=False),
            nn.LeakyReLU(0.2, inplace=True),
            # state size. (ndf) x 4 x 4
            nn.Conv2d(ndf, ndf * 2, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ndf * 2),
            nn.LeakyReLU(0.2, inplace=True),
            # state size. (ndf*2) x 2 x 2
            nn.Conv2d(ndf * 2, 1, 2, 1, 0, bias=False),
            nn.Sigmoid(),
        )

    def forward(self, input):
        output = self.main(input)
        return output.view(-1, 1).squeeze(1)


def main(niter=4, batch_size=64, lr=0.002, beta1=0.5):
    torch.manual_seed(999)
    device = torch.device("cpu")
    images, _ = load_digits(train=True)
    real_images = torch.tensor(images).unsqueeze(1) * 2 - 1  # Normalize((0.5,), (0.5,))
    dataset = torch.utils.data.TensorDataset(real_images)
    dataloader = torch.utils.data.DataLoader(dataset, batch_size=batch_size, shuffle=True,
                                             drop_last=True)  # fmt: skip

    netG = Generator().to(device)
    netG.apply(weights_init)
    netD = Discriminator().to(device)
    netD.apply(weights_init)

    criterion = nn.BCELoss()

    fixed_noise = torch.randn(batch_size, nz, 1, 1, device=device)
    real_label = 1
    fake_label = 0

    # setup optimizer
    optimizerD = optim.Adam(netD.parameters(), lr=lr, betas=(beta1, 0.999))
    optimizerG = optim.Adam(netG.parameters(), lr=lr, betas=(beta1, 0.999))

    def distance_to_data():
        netG.eval()
        with torch.no_grad():
            fake = netG(fixed_noise)
        netG.train()
        return (
            (fake.mean(dim=0) - real_images.mean(dim=0)).abs().mean()
            + (fake.std(dim=0) - real_images.std(dim=0)).abs().mean()
        ).item()

    history = [distance_to_data()]
    for epoch in range(niter):
        for i, data in enumerate(dataloader, 0):
            ############################
            # (1) Update D network: maximize log(D(x)) + log(1 - D(G(z)))
            ###########################
            # train with real
            netD.zero_grad()
            real_cpu = data[0].to(device)
            batch_size = real_cpu.size(0)
            label = torch.full((batch_size,), real_label, dtype=real_cpu.dtype, device=device)

            output = netD(real_cpu)
            errD_real = criterion(output, label)
            errD_real.backward()
            D_x = output.mean().item()

            # train with fake
            noise = torch.randn(batch_size, nz, 1, 1, device=device)
            fake = netG(noise)
            label.fill_(fake_label)
            output = netD(fake.detach())
            errD_fake = criterion(output, label)
            errD_fake.backward()
            D_G_z1 = output.mean().item()
            errD = errD_real + errD_fake
            optimizerD.step()

            ############################
            # (2) Update G network: maximize log(D(G(z)))
            ###########################
            netG.zero_grad()
            label.fill_(real_label)  # fake labels are real for generator cost
            output = netD(fake)
            errG = criterion(output, label)
            errG.backward()
            D_G_z2 = output.mean().item()
            optimizerG.step()

            if i % 10 == 0:
                print(
                    "[%d/%d][%d/%d] Loss_D: %.4f Loss_G: %.4f D(x): %.4f D(G(z)): %.4f / %.4f"
                    % (
                        epoch,
                        niter,
                        i,
                        len(dataloader),
                        errD.item(),
                        errG.item(),
                        D_x,
                        D_G_z1,
                        D_G_z2,
                    )  # fmt: skip
                )
        history.append(distance_to_data())
        print(f"epoch {epoch}: distance of generated pixel statistics to data {history[-1]:.4f}")
    return history


if __name__ == "__main__":
    main()
